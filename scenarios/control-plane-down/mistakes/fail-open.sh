# istiod back, the webhooks' service fixed, failurePolicy left at Ignore.
kubectl scale deployment/istiod -n istio-system --replicas=1
kubectl rollout status deployment/istiod -n istio-system --timeout=90s
patch='['
for i in 0 1 2 3; do
  patch+="{\"op\":\"replace\",\"path\":\"/webhooks/$i/clientConfig/service/name\",\"value\":\"istiod\"},"
done
kubectl patch mutatingwebhookconfiguration istio-revision-tag-default --type=json -p "${patch%,}]"
# A server-side dry run goes through the webhooks: wait until it shows the sidecar. (With Ignore,
# a pod created before istiod answers would get none, and nothing would say so.)
for _ in $(seq 30); do
  containers=$(kubectl run inject-test -n cp-down-lab --image=nginx --dry-run=server -o jsonpath='{.spec.containers[*].name}')
  [[ $containers == *istio-proxy* ]] && break
  sleep 1
done
kubectl rollout restart deployment/orders -n cp-down-lab
kubectl rollout status deployment/orders -n cp-down-lab --timeout=90s
