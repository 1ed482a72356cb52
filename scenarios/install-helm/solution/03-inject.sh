kubectl label namespace helm-lab istio-injection=enabled --overwrite
kubectl rollout restart deployment/httpbin -n helm-lab
kubectl rollout status deployment/httpbin -n helm-lab --timeout=90s
