package upgrade

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

func generate(t testing.TB, m *manifest.Manifest, dir string, offline bool) {
	t.Helper()
	_, err := generator.Generate(context.Background(), generator.Options{
		Name:     "hello-world",
		Module:   "example.com/hello-world",
		Libc:     []string{manifest.Glibc, manifest.Musl},
		Manifest: m,
		Env:      world.Env,
		Offline:  offline,
	}, dir)
	if err != nil {
		t.Fatal(err)
	}
}

// TestUntouchedUpgradeIsNew generates a plugin for the example gateway
// v0.9.0 (modules resolved with go1.26.7, fetched through GOTOOLCHAIN),
// upgrades it untouched to v1.0.0, and expects exactly what scaffold new
// writes for v1.0.0: every file, go.sum and the lock included.
func TestUntouchedUpgradeIsNew(t *testing.T) {
	if testing.Short() {
		t.Skip("resolves modules with two Go releases")
	}
	parent := t.TempDir()
	old, want := filepath.Join(parent, "old"), filepath.Join(parent, "new")
	generate(t, release(t, "v0.9.0"), old, false)
	generate(t, release(t, "v1.0.0"), want, false)
	res, err := Run(context.Background(), Options{Dir: old, Manifest: release(t, "v1.0.0"), Env: world.Env})
	if err != nil {
		t.Fatal(err)
	}
	testbed.CompareTrees(t, "scaffold new", readTree(t, want), "scaffold upgrade", readTree(t, old))
	if got := res.paths(Merged); len(got) > 0 {
		t.Errorf("merged %v, want nothing merged in an untouched repository", got)
	}
	if p := res.Pending(); len(p) > 0 {
		t.Errorf("contract changes to fix: %+v, want none: the hooks were regenerated", p)
	}
	if got := strings.Join(entries(t, parent), " "); got != "new old" {
		t.Errorf("beside the repositories: %s, want only them", got)
	}
}

// TestFailedUpgradeChangesNothing makes the module resolution fail (the
// author's code imports a module nobody serves) after everything else was
// computed: the repository is as it was, and nothing is left beside it.
func TestFailedUpgradeChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "p")
	generate(t, release(t, "v0.9.0"), dir, true)
	if err := os.WriteFile(filepath.Join(dir, "extra.go"), []byte("package main\n\nimport _ \"example.com/nobody/serves\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dir)
	_, err := Run(context.Background(), Options{Dir: dir, Manifest: release(t, "v1.0.0"), Env: world.Env})
	if err == nil || !strings.Contains(err.Error(), "example.com/nobody/serves") {
		t.Fatalf("Run: %v, want an error naming the missing module", err)
	}
	testbed.CompareTrees(t, "before", before, "after a failed upgrade", readTree(t, dir))
	if got := entries(t, parent); !slices.Equal(got, []string{"p"}) {
		t.Errorf("beside the repository: %v, want nothing", got)
	}
}

// TestCancelledUpgradeChangesNothing interrupts an upgrade before it
// writes.
func TestCancelledUpgradeChangesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	generate(t, release(t, "v0.9.0"), dir, true)
	before := readTree(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Dir: dir, Manifest: release(t, "v1.0.0"), Offline: true}); err == nil {
		t.Fatal("a cancelled upgrade succeeded")
	}
	testbed.CompareTrees(t, "before", before, "after a cancelled upgrade", readTree(t, dir))
}

// TestAuthorFileMeetsNewTemplateFile gives the author a file of the name a
// newer template set adds (the lock's base lacks it): the upgrade merges
// the two, marked as a conflict, and loses none of the author's lines.
func TestAuthorFileMeetsNewTemplateFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	generate(t, release(t, "v0.9.0"), dir, true)
	lockFile := filepath.Join(dir, lock.FileName)
	l, err := lock.Read(lockFile)
	if err != nil {
		t.Fatal(err)
	}
	delete(l.Files, "BUILD.md") // as a template set without BUILD.md wrote it
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	mine := "# How I build this\n\nBy hand, on Tuesdays.\n"
	if err := os.WriteFile(lockFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "BUILD.md"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Dir: dir, Manifest: release(t, "v1.0.0"), Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	got := string(readTree(t, dir)["BUILD.md"])
	if !strings.Contains(got, mine) {
		t.Errorf("BUILD.md lost the author's lines:\n%s", got)
	}
	if !slices.Contains(res.Conflicts(), "BUILD.md") {
		t.Errorf("conflicts %v, want BUILD.md among them", res.Conflicts())
	}
}
