# Only the ambient label: istio-injection=enabled stays
kubectl label namespace ambient-lab istio-injection=enabled --overwrite
