package sbom

import (
	"bytes"
	"debug/buildinfo"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestFromBuildInfo reads a plugin's build info as the linker writes it:
// the main module at the version given (a checkout records "(devel)"),
// every dependency with its package URL and its go.sum hash in hex,
// replacements applied and named, and the build settings as properties.
func TestFromBuildInfo(t *testing.T) {
	bi := &buildinfo.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "example.com/hello-world", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "example.com/gateway/sdk", Version: "v1.0.0", Sum: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
			{Path: "example.com/textkit", Version: "v1.1.0", Replace: &debug.Module{Path: "example.com/fork/textkit", Version: "v1.1.1", Sum: "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}},
			{Path: "example.com/local", Version: "v0.0.0", Replace: &debug.Module{Path: "../local"}},
		},
		Settings: []debug.BuildSetting{{Key: "-buildmode", Value: "plugin"}, {Key: "CGO_ENABLED", Value: "1"}},
	}
	b := FromBuildInfo(bi, Options{Version: "v0.1.0", Tool: "scaffold", ToolVersion: "(devel)"})
	if got, want := b.Metadata.Component.PURL, "pkg:golang/example.com/hello-world@v0.1.0"; got != want {
		t.Errorf("plugin purl %q, want %q", got, want)
	}
	var purls []string
	for _, c := range b.Components {
		purls = append(purls, c.BOMRef)
	}
	// The standard library first, as cyclonedx-gomod names it: scanners
	// match Go's own vulnerabilities against it.
	want := []string{"pkg:golang/std@go1.26.8", "pkg:golang/example.com/gateway/sdk@v1.0.0", "pkg:golang/example.com/fork/textkit@v1.1.1", "../local"}
	if strings.Join(purls, " ") != strings.Join(want, " ") {
		t.Errorf("components %q, want %q", purls, want)
	}
	if h := b.Components[1].Hashes; len(h) != 1 || h[0].Content != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("sdk hashes %+v, want the h1 sum in hex", h)
	}
	if p := b.Components[2].Properties; len(p) != 1 || p[0].Value != "example.com/textkit@v1.1.0" {
		t.Errorf("replacement properties %+v, want what it replaces", p)
	}
	if deps := b.Dependencies; len(deps) != 1 || len(deps[0].DependsOn) != 4 {
		t.Errorf("dependencies %+v, want the plugin on all four", deps)
	}
	if p := b.Metadata.Properties; len(p) != 1 || p[0] != (Property{Name: "go:version", Value: "go1.26.8"}) {
		t.Errorf("metadata properties %+v, want the Go release", p)
	}
	one, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	two, err := FromBuildInfo(bi, Options{Version: "v0.1.0", Tool: "scaffold", ToolVersion: "(devel)"}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one, two) {
		t.Error("two BOMs of the same build differ")
	}
	for _, s := range []string{`"bomFormat": "CycloneDX"`, `"specVersion": "1.5"`, `"name": "go:build:-buildmode"`, `"value": "go1.26.8"`} {
		if !bytes.Contains(one, []byte(s)) {
			t.Errorf("BOM lacks %s:\n%s", s, one)
		}
	}
}

// TestReadFileNotBinary: a file that is no executable or shared library
// is named so, with its first bytes, not with debug/buildinfo's
// "unrecognized file format"; a binary that is not Go keeps its reason.
func TestReadFileNotBinary(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name, content, want string
	}{
		{"notes.txt", "root:x:0:0", `reading build info of %s: not an executable or shared library (it starts with "root")`},
		{"empty.so", "", "reading build info of %s: not an executable or shared library (the file is empty)"},
	} {
		file := filepath.Join(dir, tt.name)
		if err := os.WriteFile(file, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(file, Options{})
		if want := fmt.Sprintf(tt.want, file); err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
	}
	elf := filepath.Join(dir, "c.so")
	if err := os.WriteFile(elf, []byte("\x7fELF\x02\x01\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(elf, Options{}); err == nil || strings.Contains(err.Error(), "not an executable") {
		t.Errorf("an ELF header: got %v, want debug/buildinfo's reason", err)
	}
}
