# Everything else right, but the "waypoint" is a Gateway of class istio: an ingress gateway
istioctl install --set profile=ambient -y
kubectl label namespace ambient-lab istio.io/dataplane-mode=ambient istio-injection-
kubectl apply -f ingress-class-gateway.yaml
kubectl label namespace ambient-lab istio.io/use-waypoint=waypoint --overwrite
