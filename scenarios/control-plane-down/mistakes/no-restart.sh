# istiod and the webhook repaired; orders' pods left as they are.
kubectl scale deployment/istiod -n istio-system --replicas=1
kubectl rollout status deployment/istiod -n istio-system --timeout=90s
patch='['
for i in 0 1 2 3; do
  patch+="{\"op\":\"replace\",\"path\":\"/webhooks/$i/clientConfig/service/name\",\"value\":\"istiod\"},"
  patch+="{\"op\":\"replace\",\"path\":\"/webhooks/$i/failurePolicy\",\"value\":\"Fail\"},"
done
kubectl patch mutatingwebhookconfiguration istio-revision-tag-default --type=json -p "${patch%,}]"
