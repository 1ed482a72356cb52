# The HorizontalPodAutoscaler never scales up from zero: set the replicas by hand.
kubectl scale deployment/istiod -n istio-system --replicas=1
kubectl rollout status deployment/istiod -n istio-system --timeout=90s
