# The ambient profile with Helm: base, istiod, cni, ztunnel
helm install istio-base "$ICA_ISTIO_CHARTS/base" -n istio-system --create-namespace --wait
helm install istiod "$ICA_ISTIO_CHARTS/istiod" -n istio-system --set profile=ambient --wait
helm install istio-cni "$ICA_ISTIO_CHARTS/cni" -n istio-system --set profile=ambient --wait
helm install ztunnel "$ICA_ISTIO_CHARTS/ztunnel" -n istio-system --wait
