//go:build tools

// Package tools pins the KWOK controller built by lib/cluster/control-plane-binaries.ts.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
