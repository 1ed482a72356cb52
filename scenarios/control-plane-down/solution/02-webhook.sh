# Every webhook of the default revision tag back to Service istio-system/istiod, failing closed.
patch='['
for i in 0 1 2 3; do
  patch+="{\"op\":\"replace\",\"path\":\"/webhooks/$i/clientConfig/service/name\",\"value\":\"istiod\"},"
  patch+="{\"op\":\"replace\",\"path\":\"/webhooks/$i/failurePolicy\",\"value\":\"Fail\"},"
done
kubectl patch mutatingwebhookconfiguration istio-revision-tag-default --type=json -p "${patch%,}]"
