# Values files instead of --set, other release names
helm install base "$ICA_ISTIO_CHARTS/base" -n istio-system --create-namespace
helm install istio-control "$ICA_ISTIO_CHARTS/istiod" -n istio-system -f istiod-values.yaml --wait
