# istiod alone, without the base chart
kubectl create namespace istio-system
helm install istiod "$ICA_ISTIO_CHARTS/istiod" -n istio-system --wait \
  --set pilot.resources.requests.cpu=200m \
  --set pilot.resources.requests.memory=1Gi \
  --set meshConfig.accessLogFile=/dev/stdout
