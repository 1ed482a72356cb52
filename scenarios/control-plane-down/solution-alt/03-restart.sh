# Deleting the pods works too: their ReplicaSet creates new ones, and the webhook sees those.
kubectl delete pod -n cp-down-lab -l app=orders --wait=true
kubectl rollout status deployment/orders -n cp-down-lab --timeout=90s
kubectl wait --for=condition=Ready pod -l app=orders -n cp-down-lab --timeout=90s
