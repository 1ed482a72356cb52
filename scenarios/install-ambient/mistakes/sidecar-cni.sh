# istio-cni in sidecar mode: no ztunnel, istiod without ambient
istioctl install --set profile=default --set components.cni.enabled=true -y
