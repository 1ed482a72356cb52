# Installing again brings istiod back only without the autoscaler: with it, istioctl leaves
# spec.replicas to the HorizontalPodAutoscaler, which never scales up from zero.
istioctl install --set profile=minimal --set values.pilot.autoscaleEnabled=false -y
