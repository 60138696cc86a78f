// Package targets runs the end-to-end scripts of a plugin repository built
// for several host releases (scaffold new with several manifests, scaffold
// target add and remove), built and loaded for each; package e2e says
// which scripts go where.
package targets

import (
	"os"
	"testing"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
)

func TestMain(m *testing.M) {
	os.Exit(e2e.Main(m))
}

func TestScripts(t *testing.T) { e2e.Run(t) }
