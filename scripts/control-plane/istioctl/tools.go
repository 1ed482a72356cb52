//go:build tools

// Package tools pins the istioctl and pilot-discovery (istiod) built by
// lib/cluster/control-plane-binaries.ts, both from the same Istio commit.
package tools

import (
	_ "istio.io/istio/istioctl/cmd/istioctl"
	_ "istio.io/istio/pilot/cmd/pilot-discovery"
)
