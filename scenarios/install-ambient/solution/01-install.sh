istioctl install --set profile=ambient -y
