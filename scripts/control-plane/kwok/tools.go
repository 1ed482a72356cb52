//go:build tools

// Package tools pins the KWOK controller (run by the lite driver) and kwokctl (built beside
// it for learners who want to manage fake nodes) built by lib/cluster/control-plane-binaries.ts.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
	_ "sigs.k8s.io/kwok/cmd/kwokctl"
)
