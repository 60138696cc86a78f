// Package load runs the end-to-end scripts of plugins loaded into the
// example gateway's builds, and of what scaffold check says of them;
// package e2e says which scripts go where.
package load

import (
	"os"
	"testing"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
)

func TestMain(m *testing.M) {
	os.Exit(e2e.Main(m))
}

func TestScripts(t *testing.T) { e2e.Run(t) }
