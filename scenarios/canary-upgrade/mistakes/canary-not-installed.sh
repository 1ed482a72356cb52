# the namespace moved to a revision that is not installed
kubectl label namespace canary-lab istio-injection- istio.io/rev=canary
kubectl rollout restart deployment/httpbin -n canary-lab
kubectl rollout status deployment/httpbin -n canary-lab --timeout=90s
