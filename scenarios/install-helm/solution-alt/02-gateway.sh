# Any release name: the pods' istio label is set by value
kubectl create namespace istio-ingress
helm install ingress "$ICA_ISTIO_CHARTS/gateway" -n istio-ingress -f gateway-values.yaml --wait
