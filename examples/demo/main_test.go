package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// TestKeepLines: the commands a kept demo prints, run by a shell, give the
// go command the demo's module proxy, module cache and flags, and put the
// demo's scaffold first on PATH, so the commands typed next find the
// example modules; the second line goes to the plugin with the host named.
func TestKeepLines(t *testing.T) {
	examples, err := testbed.ExamplesDir()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "it's a demo")
	w, err := testbed.New(root, examples)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	bin := filepath.Join(root, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "scaffold"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(keepLines(w, bin, "/hosts/gate way"), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	cmd := exec.Command("sh", "-c", lines[0]+"\ngo env GOPROXY GOMODCACHE GOFLAGS\ncommand -v scaffold")
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOMODCACHE=/elsewhere", "GOFLAGS=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", lines[0], err)
	}
	want := strings.Join([]string{w.Getenv("GOPROXY"), w.Getenv("GOMODCACHE"), w.Getenv("GOFLAGS"), filepath.Join(bin, "scaffold")}, "\n") + "\n"
	if string(out) != want {
		t.Errorf("after %s\ngot:\n%s\nwant:\n%s", lines[0], out, want)
	}
	quotedRoot := strings.ReplaceAll(root, "'", `'\''`)
	if want := `  cd '` + quotedRoot + `/hello-world' && scaffold check --host '/hosts/gate way' dist/*.so`; lines[1] != want {
		t.Errorf("got %q, want %q", lines[1], want)
	}
}
