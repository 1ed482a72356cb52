istioctl tag set prod-stable --revision canary
kubectl label namespace canary-lab istio.io/rev=prod-stable --overwrite
istioctl tag list
