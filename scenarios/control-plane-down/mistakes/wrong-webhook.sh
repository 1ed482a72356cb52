# istiod back; istio-sidecar-injector looks right (service istiod, failurePolicy Fail), so the
# webhook is taken for fine; the default revision tag's webhooks are never looked at.
kubectl scale deployment/istiod -n istio-system --replicas=1
kubectl rollout status deployment/istiod -n istio-system --timeout=90s
kubectl get mutatingwebhookconfiguration istio-sidecar-injector -o jsonpath='{.webhooks[*].clientConfig.service.name} {.webhooks[*].failurePolicy}{"\n"}'
kubectl rollout restart deployment/orders -n cp-down-lab
kubectl rollout status deployment/orders -n cp-down-lab --timeout=90s
