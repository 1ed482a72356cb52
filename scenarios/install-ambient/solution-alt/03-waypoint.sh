# The Gateway istioctl waypoint apply would write, by hand
kubectl apply -f waypoint.yaml
kubectl wait --for=condition=Programmed gateway/waypoint -n ambient-lab --timeout=60s
kubectl label namespace ambient-lab istio.io/use-waypoint=waypoint --overwrite
