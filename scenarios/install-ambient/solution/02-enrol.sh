# Ambient on, sidecar injection off (the trailing - removes the label)
kubectl label namespace ambient-lab istio.io/dataplane-mode=ambient istio-injection-
