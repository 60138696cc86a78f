// Package onboard runs the end-to-end scripts of a plugin author's start
// from what a host releases when it publishes no manifest: its binary, its
// image, its source through the module proxy, and loaders the host wraps;
// package e2e says which scripts go where.
package onboard

import (
	"os"
	"testing"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
)

func TestMain(m *testing.M) {
	os.Exit(e2e.Main(m))
}

func TestScripts(t *testing.T) { e2e.Run(t) }
