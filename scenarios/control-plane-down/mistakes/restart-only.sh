# Only a restart: istiod stays at zero, the webhook still calls nothing and fails open.
kubectl rollout restart deployment/orders -n cp-down-lab
kubectl rollout status deployment/orders -n cp-down-lab --timeout=90s
