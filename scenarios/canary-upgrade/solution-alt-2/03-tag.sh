# The tag's webhook configuration written out by istioctl and applied with kubectl
istioctl tag generate prod-stable --revision canary | kubectl apply -f -
kubectl label namespace canary-lab istio.io/rev=prod-stable --overwrite
