# An IstioOperator file whose spec.revision names the revision
istioctl install -f iop-canary.yaml -y
