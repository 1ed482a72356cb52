kubectl label namespace install-lab istio-injection=enabled --overwrite
kubectl rollout restart deployment/httpbin -n install-lab
kubectl rollout status deployment/httpbin -n install-lab --timeout=90s
