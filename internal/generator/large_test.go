package generator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// largeManifest is the example gateway's release with n more modules in
// its build list, read back from its YAML file as scaffold new reads it.
func largeManifest(t testing.TB, n int) (*manifest.Manifest, int) {
	t.Helper()
	m := exampleManifest(t)
	for i := range n {
		m.Modules = append(m.Modules, manifest.Module{
			Path:    fmt.Sprintf("example.org/dep%05d/module", i),
			Version: fmt.Sprintf("v1.%d.%d", i%100, i%7),
			Sum:     "h1:UCNjsVNXuvuVY/BnkWrcVM9y+sGR4hUMVoXzck2p+J8=",
		})
	}
	data, err := manifest.Marshal("m.yaml", m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := manifest.Parse("m.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return back, len(data)
}

// TestLargeManifest generates a plugin, offline, for a host of 70,000
// modules, whose manifest is just under the 8 MiB a manifest may be:
// every step is linear in the modules, and the lock, which holds the
// manifest and every generated file, is within the 32 MiB a lock may be
// and reads back. (Measured before the pins were set in one pass: 78 s,
// then a failure for a lock over "16 MiB"; 2,000 modules took 1.3 s,
// 20,000 11.6 s.)
func TestLargeManifest(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a plugin for 70,000 modules")
	}
	start := time.Now()
	m, size := largeManifest(t, 70000)
	if size > input.ManifestLimit {
		t.Fatalf("the manifest is %d bytes, more than a manifest may be", size)
	}
	read := time.Since(start)
	o := helloWorld(t)
	o.Manifest, o.Offline = m, true
	out := filepath.Join(t.TempDir(), "p")
	start = time.Now()
	if _, err := Generate(context.Background(), o, out); err != nil {
		t.Fatal(err)
	}
	gen := time.Since(start)
	l, err := lock.Read(filepath.Join(out, lock.FileName))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(out, lock.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Manifest.Modules) != len(m.Modules) {
		t.Errorf("the lock holds %d modules, want %d", len(l.Manifest.Modules), len(m.Modules))
	}
	t.Logf("a %d-byte manifest of %d modules: read in %v, generated in %v, a lock of %d bytes", size, len(m.Modules), read, gen, fi.Size())
}

// TestLockTooLarge generates for a manifest built in code, larger than a
// manifest file may be, whose lock would pass the 32 MiB README states:
// it is refused by the lock's path in the repository, never a staging
// file's, and nothing is left.
func TestLockTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a plugin for 40,000 modules")
	}
	m := exampleManifest(t)
	long := strings.Repeat("/long-path-element", 20)
	for i := range 40000 {
		m.Modules = append(m.Modules, manifest.Module{Path: fmt.Sprintf("example.org/dep%06d%s", i, long), Version: "v1.0.0",
			Sum: "h1:UCNjsVNXuvuVY/BnkWrcVM9y+sGR4hUMVoXzck2p+J8="})
	}
	o := helloWorld(t)
	o.Manifest, o.Offline = m, true
	parent := t.TempDir()
	out := filepath.Join(parent, "p")
	_, err := Generate(context.Background(), o, out)
	want := filepath.Join(out, lock.FileName) + " would be "
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "more than the 32 MiB a lock may be") {
		t.Errorf("Generate: %v, want an error starting %q", err, want)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
