package release

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestExampleManifestsV090 builds the example gateway's earlier release,
// v0.9.0 (an older Go patch release fetched through GOTOOLCHAIN, no build
// tags, an SDK whose interface has one hook fewer and another signature),
// writes its manifest from the binary and its own base file, and compares
// it with the checked-in manifest that upgrade tests start from.
func TestExampleManifestsV090(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example gateway's v0.9.0 release")
	}
	host, err := world.HostRelease("v0.9.0")
	if err != nil {
		t.Fatal(err)
	}
	releases := filepath.Join(world.Examples, "gateway", "releases")
	base, err := manifest.LoadBase(filepath.Join(releases, "v0.9.0", "manifest.base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, warnings, err := Build(context.Background(), Options{Binary: host, Base: base, HostVersion: "v0.9.0", Env: world.Env})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) > 0 {
		t.Errorf("warnings: %q, want none", warnings)
	}
	got, err := manifest.Marshal("v0.9.0.yaml", m)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(releases, "v0.9.0.manifest.yaml")
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
		t.Errorf("manifest from the v0.9.0 gateway binary differs from %s (run go test -update):\n%s", golden, diff.Diff(golden, want, "scaffold manifest", got))
	}
	// What the upgrade from this release to the current one must handle.
	if m.Go != "go1.26.7" || len(m.Build.Tags) != 0 || m.SDK.Version != "v0.9.0" || m.Module("example.com/textkit").Version != "v1.0.0" {
		t.Errorf("v0.9.0 manifest: go %s, tags %q, SDK %s, textkit %s; want go1.26.7, no tags, SDK v0.9.0, textkit v1.0.0",
			m.Go, m.Build.Tags, m.SDK.Version, m.Module("example.com/textkit").Version)
	}
}
