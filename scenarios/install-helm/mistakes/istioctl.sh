# The right control plane, installed with istioctl instead of Helm
istioctl install -y --set profile=minimal \
  --set values.pilot.resources.requests.cpu=200m \
  --set values.pilot.resources.requests.memory=1Gi \
  --set meshConfig.accessLogFile=/dev/stdout
