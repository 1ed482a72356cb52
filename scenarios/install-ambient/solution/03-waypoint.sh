# A waypoint named waypoint (the default name), and the namespace labelled istio.io/use-waypoint=waypoint
istioctl waypoint apply -n ambient-lab --enroll-namespace --wait
