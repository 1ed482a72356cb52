kubectl patch namespace canary-lab --type=json \
  -p '[{"op":"remove","path":"/metadata/labels/istio-injection"},{"op":"add","path":"/metadata/labels/istio.io~1rev","value":"canary"}]'
# deleting the pods works as well as a rollout restart: the ReplicaSet creates new ones
kubectl delete pod -n canary-lab -l app=httpbin --wait=true
kubectl rollout status deployment/httpbin -n canary-lab --timeout=90s
