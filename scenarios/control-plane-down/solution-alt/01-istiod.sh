# kubectl patch (or kubectl edit) of spec.replicas does what kubectl scale does; two replicas are fine.
kubectl patch deployment istiod -n istio-system --type=merge -p '{"spec":{"replicas":2}}'
kubectl rollout status deployment/istiod -n istio-system --timeout=90s
