// Package upgrade runs the end-to-end scripts of scaffold upgrade on
// built plugins; package e2e says which scripts go where.
package upgrade

import (
	"os"
	"testing"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
)

func TestMain(m *testing.M) {
	os.Exit(e2e.Main(m))
}

func TestScripts(t *testing.T) { e2e.Run(t) }
