package generator

import (
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestBuildMDInstall: BUILD.md installs scaffold as the README does, static
// (CGO_ENABLED=0), at the release that generated the repository.
func TestBuildMDInstall(t *testing.T) {
	tree, err := Render(&Options{
		Name:            "p",
		Module:          "example.com/p",
		Libc:            []string{manifest.Glibc},
		Manifest:        exampleManifest(t),
		ScaffoldVersion: "v1.2.3",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\nCGO_ENABLED=0 go install " + Command + "@v1.2.3\n"
	if got := string(tree["BUILD.md"]); !strings.Contains(got, want) {
		t.Errorf("BUILD.md lacks %q:\n%s", want, got)
	}
}
