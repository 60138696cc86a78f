package generator

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

var update = flag.Bool("update", false, "rewrite examples/hello-world")

// world serves the example modules; tests that resolve modules need it.
var world *testbed.World

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testbed.RunTests(m, func(w *testbed.World) error { world = w; return nil }))
}

// exampleManifest is the example gateway's checked-in release manifest.
func exampleManifest(t testing.TB) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Load(filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// helloWorld are the answers examples/hello-world was generated with.
func helloWorld(t testing.TB) Options {
	return Options{
		Name:     "hello-world",
		Module:   "example.com/hello-world",
		Libc:     []string{manifest.Glibc, manifest.Musl},
		Manifest: exampleManifest(t),
		Env:      world.Env,
	}
}
