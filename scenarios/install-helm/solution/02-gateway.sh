# The release name istio-ingressgateway gives the pods the label istio=ingressgateway
helm install istio-ingressgateway "$ICA_ISTIO_CHARTS/gateway" -n istio-ingress --create-namespace --wait \
  --set service.type=NodePort
