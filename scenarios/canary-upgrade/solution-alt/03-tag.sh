# Helm's istiod chart makes revision tags from revisionTags
helm upgrade istiod-canary "$ICA_ISTIO_CHARTS/istiod" -n istio-system --reuse-values \
  --set 'revisionTags={prod-stable}' --wait
kubectl label namespace canary-lab istio.io/rev=prod-stable --overwrite
