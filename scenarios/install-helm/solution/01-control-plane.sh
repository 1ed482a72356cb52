# The base chart (CRDs, cluster roles) first, then istiod with its values
helm install istio-base "$ICA_ISTIO_CHARTS/base" -n istio-system --create-namespace --wait
helm install istiod "$ICA_ISTIO_CHARTS/istiod" -n istio-system --wait \
  --set pilot.resources.requests.cpu=200m \
  --set pilot.resources.requests.memory=1Gi \
  --set meshConfig.accessLogFile=/dev/stdout
