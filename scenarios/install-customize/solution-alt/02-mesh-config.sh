istioctl install -y \
  --set profile=default \
  --set 'components.egressGateways[0].name=istio-egressgateway' \
  --set 'components.egressGateways[0].enabled=true' \
  --set values.pilot.resources.requests.cpu=250m \
  --set values.pilot.resources.requests.memory=0.5Gi \
  --set meshConfig.accessLogFile=/dev/stdout \
  --set meshConfig.accessLogEncoding=JSON \
  --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY
