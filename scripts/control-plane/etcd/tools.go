//go:build tools

// Package tools pins the etcd server built by lib/cluster/control-plane-binaries.ts.
package tools

import _ "go.etcd.io/etcd/server/v3"
