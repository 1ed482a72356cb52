# Istio's minimal profile: istiod only (with its HorizontalPodAutoscaler), injection by the
# default revision tag's webhook (MutatingWebhookConfiguration istio-revision-tag-default).
istioctl install --set profile=minimal -y
