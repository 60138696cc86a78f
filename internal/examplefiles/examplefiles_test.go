package examplefiles

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestManifests finds the example releases from this package's directory,
// two below the repository's root, as from any other.
func TestManifests(t *testing.T) {
	files, err := ReadManifests()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("gateway", "releases", "v1.0.0.manifest.yaml")
	if !slices.ContainsFunc(files, func(f File) bool { return strings.HasSuffix(f.Path, want) }) {
		t.Errorf("no %s among %d manifests", want, len(files))
	}
	for _, f := range files {
		if !strings.HasPrefix(string(f.Data), "schemaVersion: 1\n") {
			t.Errorf("%s does not start as a manifest: %.40q", f.Path, f.Data)
		}
	}
	t.Chdir(t.TempDir())
	if _, err := Manifests(); err == nil {
		t.Error("Manifests found examples outside the repository")
	}
}
