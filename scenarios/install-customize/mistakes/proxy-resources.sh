# values.global.proxy.resources sizes every sidecar the injector adds, not istiod
istioctl install -y \
  --set profile=default \
  --set 'components.egressGateways[0].name=istio-egressgateway' \
  --set 'components.egressGateways[0].enabled=true' \
  --set values.global.proxy.resources.requests.cpu=250m \
  --set values.global.proxy.resources.requests.memory=512Mi
