istioctl install --set profile=minimal --set revision=canary -y
kubectl label namespace canary-lab istio-injection- istio.io/rev=canary
# no restart: the running pods keep the proxies of revision default
