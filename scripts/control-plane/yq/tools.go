//go:build tools

// Package tools pins mikefarah's yq, one of the exam terminal's tools, built by
// lib/cluster/control-plane-binaries.ts and linked into the learner's PATH.
package tools

import (
	_ "github.com/mikefarah/yq/v4"
)
