# The default profile plus an egress gateway and istiod's requests, all in iop.yaml
istioctl install -f iop.yaml -y
