istioctl install --set profile=minimal --set revision=canary -y
# the default tag serves istio-injection=enabled: every such namespace moves, not only canary-lab
istioctl tag set default --revision canary --overwrite
kubectl rollout restart deployment/httpbin -n canary-lab
kubectl rollout status deployment/httpbin -n canary-lab --timeout=90s
