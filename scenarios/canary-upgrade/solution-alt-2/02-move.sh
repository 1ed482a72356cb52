kubectl label namespace canary-lab istio-injection-
kubectl label namespace canary-lab istio.io/rev=canary --overwrite
kubectl rollout restart deployment/httpbin -n canary-lab
kubectl rollout status deployment/httpbin -n canary-lab --timeout=90s
