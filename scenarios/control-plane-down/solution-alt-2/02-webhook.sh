# The same install writes the webhook configurations again too, service and failurePolicy included.
istioctl install --set profile=minimal --set values.pilot.autoscaleEnabled=false -y
