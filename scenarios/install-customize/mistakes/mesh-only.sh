istioctl install -y \
  --set meshConfig.accessLogFile=/dev/stdout \
  --set meshConfig.accessLogEncoding=JSON \
  --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY
