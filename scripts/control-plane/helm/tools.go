//go:build tools

// Package tools pins helm (v4, the major Istio's own module requires), one of the
// learner's tools, built by lib/cluster/control-plane-binaries.ts.
package tools

import (
	_ "helm.sh/helm/v4/cmd/helm"
)
