kubectl label namespace install-lab istio.io/rev=default --overwrite
kubectl rollout restart deployment/httpbin -n install-lab
kubectl rollout status deployment/httpbin -n install-lab --timeout=90s
