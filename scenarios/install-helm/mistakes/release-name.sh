# The docs' release name, istio-ingress, and no values: pods labelled istio=ingress, a LoadBalancer Service
helm install istio-base "$ICA_ISTIO_CHARTS/base" -n istio-system --create-namespace --wait
helm install istiod "$ICA_ISTIO_CHARTS/istiod" -n istio-system --wait \
  --set pilot.resources.requests.cpu=200m \
  --set pilot.resources.requests.memory=1Gi \
  --set meshConfig.accessLogFile=/dev/stdout
helm install istio-ingress "$ICA_ISTIO_CHARTS/gateway" -n istio-ingress --create-namespace --wait
