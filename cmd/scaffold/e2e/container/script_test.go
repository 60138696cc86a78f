// Package container runs the end-to-end scripts that build the generated
// Dockerfiles with buildah in the builder image; package e2e says which
// scripts go where.
package container

import (
	"os"
	"testing"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
)

func TestMain(m *testing.M) {
	e2e.StartBuilder()
	os.Exit(e2e.Main(m))
}

func TestScripts(t *testing.T) { e2e.Run(t) }
