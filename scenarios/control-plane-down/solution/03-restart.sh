# The webhook sees a pod only when it is created: create orders' pods again.
kubectl rollout restart deployment/orders -n cp-down-lab
kubectl rollout status deployment/orders -n cp-down-lab --timeout=90s
