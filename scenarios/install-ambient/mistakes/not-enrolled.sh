# istioctl waypoint apply -n ambient-lab (no --enroll-namespace): the namespace does not use it
kubectl label namespace ambient-lab istio.io/use-waypoint-
