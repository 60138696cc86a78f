package upgrade

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// world serves the example modules; tests that resolve modules need it.
var world *testbed.World

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(testbed.RunTests(m, func(w *testbed.World) error { world = w; return nil }))
}

// release loads a checked-in manifest of the example gateway.
func release(t testing.TB, version string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Load(filepath.Join(world.Examples, "gateway", "releases", version+".manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// readTree reads every file under dir, hidden ones included.
func readTree(t testing.TB, dir string) filetree.Tree {
	t.Helper()
	tree, err := filetree.Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// entries lists the names in dir, to see that nothing was left beside a
// repository.
func entries(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
