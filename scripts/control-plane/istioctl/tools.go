//go:build tools

// Package tools pins the istioctl built by lib/cluster/control-plane-binaries.ts.
package tools

import _ "istio.io/istio/istioctl/cmd/istioctl"
