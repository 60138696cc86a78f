// Package contract runs the end-to-end scripts of the other kinds of host
// contract, loaded for real: symbol sets, handlers, implementers, hosts
// whose plugins import their main module; package e2e says which scripts
// go where.
package contract

import (
	"os"
	"testing"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
)

func TestMain(m *testing.M) {
	os.Exit(e2e.Main(m))
}

func TestScripts(t *testing.T) { e2e.Run(t) }
