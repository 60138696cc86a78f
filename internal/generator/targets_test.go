package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// gatewayRelease is one of the example gateway's release manifests.
func gatewayRelease(t testing.TB, version string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Load(filepath.Join(world.Examples, "gateway", "releases", version+".manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// twoReleases are hello-world's answers for the example gateway's v0.9.0
// and v1.0.0, given newest first.
func twoReleases(t testing.TB) Options {
	o := helloWorld(t)
	o.Manifest = gatewayRelease(t, "v1.0.0")
	o.Targets = []lock.Target{{Manifest: o.Manifest}, {Manifest: gatewayRelease(t, "v0.9.0")}}
	return o
}

func TestGenerateTargets(t *testing.T) {
	out := filepath.Join(t.TempDir(), "hello-world")
	o := twoReleases(t)
	if _, err := Generate(context.Background(), o, out); err != nil {
		t.Fatal(err)
	}
	got, err := filetree.Read(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if dump := os.Getenv("SCAFFOLD_DUMP"); dump != "" {
		os.RemoveAll(dump)
		if err := got.WriteTo(dump); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"go.mod", "go.sum", "releases/v0.9.0/go.mod", "releases/v0.9.0/go.sum", "plugin.go", "plugin_gateway_v0.9.0.go", "plugin_gateway_v1.0.0.go", "plugin_gateway_v0.9.0_test.go", "_loadtest/main_gateway_v0.9.0.go"} {
		if _, ok := got[p]; !ok {
			t.Errorf("no %s", p)
		}
	}
	if !strings.Contains(string(got["releases/v0.9.0/go.mod"]), "toolchain go1.26.7") || !strings.Contains(string(got["go.mod"]), "toolchain go1.26.8") {
		t.Errorf("module files:\n%s\n%s", got["go.mod"], got["releases/v0.9.0/go.mod"])
	}
}
