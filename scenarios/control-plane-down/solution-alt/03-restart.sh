# Deleting the pods works too: their ReplicaSet creates new ones, and the webhook sees those.
kubectl delete pod -n cp-down-lab -l app=orders --wait=true
# wait until both new pods are Ready (kubectl get pods -n cp-down-lab -w shows the same)
for _ in $(seq 90); do
  ready=$(kubectl get pods -n cp-down-lab -l app=orders \
    -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status} {end}')
  [[ $ready == "True True " ]] && break
  sleep 1
done
kubectl get pods -n cp-down-lab -l app=orders
