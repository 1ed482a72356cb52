# Helm: the istiod chart again, as a release of its own, with revision canary
helm install istiod-canary "$ICA_ISTIO_CHARTS/istiod" -n istio-system --set revision=canary --wait
