// Package asmkit tells which CPU features example.com/jsonkit may use.
package asmkit

import "runtime"

// Fast reports whether the fast encoder may run.
func Fast() bool { return runtime.GOARCH == "amd64" }
