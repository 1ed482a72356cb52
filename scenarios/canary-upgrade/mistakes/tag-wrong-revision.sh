# the tag moved to the old revision, and the namespace follows it there
istioctl tag set prod-stable --revision default --overwrite
kubectl rollout restart deployment/httpbin -n canary-lab
kubectl rollout status deployment/httpbin -n canary-lab --timeout=90s
