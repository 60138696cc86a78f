package testbed

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

var update = flag.Bool("update", false, "rewrite the example hosts' go.mod and go.sum")

// TestExampleModules runs go mod tidy on a copy of each example host
// against the world's module proxy and expects the checked-in go.mod and
// go.sum back: the examples are consistent with the modules the world
// serves. With -update it writes the tidy files into the examples.
func TestExampleModules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod tidy")
	}
	examples, err := ExamplesDir()
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(t.TempDir(), examples)
	if err != nil {
		t.Fatal(err)
	}
	w.Env = append(w.Env, "GONOSUMDB=example.com/*", "GOFLAGS=-modcacherw -mod=mod")
	for _, host := range []string{"gateway", "gateway/releases/v0.9.0", "gateway/releases/v1.1.0", "gateway/releases/v1.2.0", "relay", "mono", "sieve", "sieve/releases/v1.1.0", "portal", "portal/releases/v1.1.0", "hub", "junction", "kiln"} {
		t.Run(host, func(t *testing.T) {
			src := filepath.Join(examples, host)
			dir := filepath.Join(t.TempDir(), host)
			if err := copyTree(src, dir); err != nil {
				t.Fatal(err)
			}
			if err := w.Run(dir, "go", "mod", "tidy"); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"go.mod", "go.sum"} {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				want, _ := os.ReadFile(filepath.Join(src, name))
				if *update {
					if err := os.WriteFile(filepath.Join(src, name), got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s/%s is not tidy (go test -update rewrites it):\n%s", host, name, diff.Diff("checked in", want, "tidy", got))
				}
			}
		})
	}
}
