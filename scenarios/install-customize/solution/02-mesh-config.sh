# istioctl install is not incremental: the same file as before, plus spec.meshConfig
istioctl install -f iop-mesh.yaml -y
