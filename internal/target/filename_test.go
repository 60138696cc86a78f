package target

import (
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPlatformLists holds the copied lists to the installed Go: each of
// its platforms (go tool dist list) is in them, and each name in them is
// one go/build reads as a constraint at the end of a file name, so a Go
// release that adds a platform fails here rather than naming stubs a
// build leaves out.
func TestPlatformLists(t *testing.T) {
	out, err := exec.Command("go", "tool", "dist", "list").Output()
	if err != nil {
		t.Fatalf("go tool dist list: %v", err)
	}
	platforms := strings.Fields(string(out))
	if len(platforms) < 40 {
		t.Fatalf("go tool dist list gave %d platforms: %q", len(platforms), out)
	}
	for _, p := range platforms {
		goos, goarch, ok := strings.Cut(p, "/")
		if !ok {
			t.Fatalf("go tool dist list: %q is not os/arch", p)
		}
		if !slices.Contains(goosList, goos) {
			t.Errorf("%s: GOOS %s is not in goosList", p, goos)
		}
		if !slices.Contains(goarchList, goarch) {
			t.Errorf("%s: GOARCH %s is not in goarchList", p, goarch)
		}
	}
	dir := t.TempDir()
	for _, name := range slices.Concat(goosList, goarchList) {
		file := "hooks_v1_" + name + ".go"
		if err := os.WriteFile(filepath.Join(dir, file), []byte("package main\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		// A platform that is neither: a file constrained by name is left out.
		ctxt := build.Default
		ctxt.GOOS, ctxt.GOARCH = "none", "none"
		ok, err := ctxt.MatchFile(dir, file)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			t.Errorf("go/build reads %s as no constraint, but the lists hold %s", file, name)
		}
	}
}
