# Install again, then delete orders' pods to get them injected: istiod is still at zero, so the
# repaired webhook (failurePolicy Fail) refuses every new pod and orders has none left.
istioctl install --set profile=minimal -y
kubectl delete pod -n cp-down-lab -l app=orders --wait=true
sleep 5
