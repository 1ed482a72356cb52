# What happened overnight, in order.
kubectl rollout status deployment/orders -n cp-down-lab --timeout=90s

# 1. Someone "saved resources" by scaling istiod to zero. Its HorizontalPodAutoscaler does not
#    scale a Deployment up from zero, so it stays there.
kubectl scale deployment/istiod -n istio-system --replicas=0
kubectl wait --for=delete pod -l app=istiod -n istio-system --timeout=60s

# 2. New pods were refused by the injection webhook (failurePolicy Fail, nothing behind it), so a
#    cleanup of a canary upgrade "fixed" the default revision tag's webhook: it now calls the
#    canary's Service, which no longer exists, and it fails open.
patch='['
for i in 0 1 2 3; do
  patch+="{\"op\":\"replace\",\"path\":\"/webhooks/$i/clientConfig/service/name\",\"value\":\"istiod-canary\"},"
  patch+="{\"op\":\"replace\",\"path\":\"/webhooks/$i/failurePolicy\",\"value\":\"Ignore\"},"
done
kubectl patch mutatingwebhookconfiguration istio-revision-tag-default --type=json -p "${patch%,}]"

# 3. orders was restarted in the night: its new pods were admitted without a sidecar.
kubectl rollout restart deployment/orders -n cp-down-lab
kubectl rollout status deployment/orders -n cp-down-lab --timeout=90s
# kubectl rollout restart stamps the pod template to the second: leave the next one a new second
sleep 1
