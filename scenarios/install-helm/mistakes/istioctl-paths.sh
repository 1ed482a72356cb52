# values.pilot.resources is the IstioOperator's path; the istiod chart reads pilot.resources
helm install istio-base "$ICA_ISTIO_CHARTS/base" -n istio-system --create-namespace --wait
helm install istiod "$ICA_ISTIO_CHARTS/istiod" -n istio-system --wait \
  --set values.pilot.resources.requests.cpu=200m \
  --set values.pilot.resources.requests.memory=1Gi \
  --set meshConfig.accessLogFile=/dev/stdout
