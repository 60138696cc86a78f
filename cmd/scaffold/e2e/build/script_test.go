// Package build runs the end-to-end scripts of a generated repository's
// own targets, which build the plugin; package e2e says which scripts go
// where.
package build

import (
	"os"
	"testing"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
)

func TestMain(m *testing.M) {
	os.Exit(e2e.Main(m))
}

func TestScripts(t *testing.T) { e2e.Run(t) }
