istioctl install --set profile=minimal --set revision=canary -y
# istio.io/rev added, istio-injection=enabled kept: istio-injection wins
kubectl label namespace canary-lab istio.io/rev=canary
kubectl rollout restart deployment/httpbin -n canary-lab
kubectl rollout status deployment/httpbin -n canary-lab --timeout=90s
