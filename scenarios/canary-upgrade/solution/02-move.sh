# istio.io/rev works only when istio-injection is absent: remove it in the same command
kubectl label namespace canary-lab istio-injection- istio.io/rev=canary
# a pod keeps the proxy it was created with: new pods get the canary's
kubectl rollout restart deployment -n canary-lab
kubectl rollout status deployment/httpbin -n canary-lab --timeout=90s
