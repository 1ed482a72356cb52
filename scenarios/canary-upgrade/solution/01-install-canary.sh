# A second control plane next to the first: every object it installs is named for the revision
istioctl install --set profile=minimal --set revision=canary -y
kubectl get deployments -n istio-system -l app=istiod
