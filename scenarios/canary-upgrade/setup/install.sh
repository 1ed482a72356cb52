# The running control plane: revision default (no revision named), the minimal profile.
# The namespaces are already labelled istio-injection=enabled, so the sample apps applied
# after this get proxies of revision default.
istioctl install --set profile=minimal -y
