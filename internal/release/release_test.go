package release

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

var update = flag.Bool("update", false, "rewrite the example gateway's checked-in manifest")

var world *testbed.World

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if testing.Short() {
		return m.Run()
	}
	examples, err := testbed.ExamplesDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	root, err := os.MkdirTemp("", "scaffold-release-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if world, err = testbed.New(root, examples); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer world.Close()
	return m.Run()
}

// TestExampleManifest builds the example gateway, writes its manifest from
// the binary and the base file, and compares it with the manifest checked
// in beside the gateway, which the hello-world example and the tests read.
func TestExampleManifest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example gateway")
	}
	host, err := world.Host(testbed.Glibc)
	if err != nil {
		t.Fatal(err)
	}
	gw := filepath.Join(world.Examples, "gateway")
	base, err := manifest.LoadBase(filepath.Join(gw, "manifest.base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, warnings, err := Build(context.Background(), Options{Binary: host, Base: base, HostVersion: "v1.0.0", Env: world.Env})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("warnings: %q, want none", warnings)
	}
	got, err := manifest.Marshal("v1.0.0.yaml", m)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(gw, "releases", "v1.0.0.manifest.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("manifest from the gateway binary differs from %s (run go test -update):\n%s", golden, diff.Diff(golden, want, "scaffold manifest", got))
	}
	if _, err := manifest.Parse(golden, want); err != nil {
		t.Errorf("checked-in manifest does not parse: %v", err)
	}
}
