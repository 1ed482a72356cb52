# Install again as before: "Installation complete", but spec.replicas is the autoscaler's, and it
# does not scale up from zero.
istioctl install --set profile=minimal -y
kubectl rollout restart deployment/orders -n cp-down-lab
# the new ReplicaSet's pods are refused (the webhook fails closed, nothing answers); the old pods stay
sleep 5
