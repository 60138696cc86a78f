package upgrade

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestUpgradeMovesBotIgnores upgrades a plugin to a release that shares
// one more module and one fewer: the Renovate and Dependabot configurations
// follow, so no bot proposes the new shared module.
func TestUpgradeMovesBotIgnores(t *testing.T) {
	m := release(t, "v1.0.0")
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := generator.Generate(context.Background(), generator.Options{
		Name: "p", Module: "example.com/p", Libc: []string{manifest.Glibc}, Manifest: m, Offline: true,
	}, dir); err != nil {
		t.Fatal(err)
	}
	next := *m
	next.Host.Version = "v1.1.0"
	gone := m.Modules[len(m.Modules)-1].Path
	next.Modules = append(slices.Clone(m.Modules[:len(m.Modules)-1]), manifest.Module{Path: "example.com/newkit", Version: "v1.0.0"})
	if _, err := Run(context.Background(), Options{Dir: dir, Manifest: &next, Offline: true}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"renovate.json", ".github/dependabot.yml"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"example.com/newkit"`) {
			t.Errorf("%s after the upgrade does not name example.com/newkit:\n%s", name, data)
		}
		if strings.Contains(string(data), `"`+gone+`"`) {
			t.Errorf("%s after the upgrade still names %s, which the host no longer builds:\n%s", name, gone, data)
		}
	}
}
