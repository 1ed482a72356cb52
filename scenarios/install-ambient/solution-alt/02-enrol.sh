# istio-injection=disabled turns injection off as well as removing the label does
kubectl label namespace ambient-lab istio-injection=disabled --overwrite
kubectl label namespace ambient-lab istio.io/dataplane-mode=ambient --overwrite
