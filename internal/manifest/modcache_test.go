package manifest

import (
	"strings"
	"testing"
)

func TestModCache(t *testing.T) {
	for _, tt := range []struct {
		path     string
		trimpath bool
		err      string
	}{
		{path: "/root/go/pkg/mod"},
		{path: "/home/ci-runner/go/pkg/mod"},
		{path: "go/pkg/mod", err: "an absolute path"},
		{path: "/go/pkg/mod/", err: "not a clean path: write /go/pkg/mod"},
		{path: "/go/../etc", err: "not a clean path"},
		{path: "/go//pkg", err: "not a clean path"},
		{path: "/", err: "the root directory"},
		{path: "/go pkg", err: "an absolute path"},
		{path: "/go/$(shell rm -rf ~)", err: "an absolute path"},
		{path: "/go/`id`", err: "an absolute path"},
		{path: "/go\n/x", err: "an absolute path"},
		{path: "/go;x", err: "an absolute path"},
		{path: "/go/pkg/mod", trimpath: true, err: "build.trimpath is true"},
	} {
		err := CheckModCache(tt.path, tt.trimpath)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("CheckModCache(%q): %v", tt.path, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("CheckModCache(%q) = %v, want an error saying %q", tt.path, err, tt.err)
		}
	}
}

// TestValidateModCache holds Validate to naming the field.
func TestValidateModCache(t *testing.T) {
	m := exampleManifest(t)
	m.Build.Trimpath = false
	m.Build.GOMODCACHE = "/go/pkg/mod"
	if err := m.Validate(); err != nil {
		t.Fatalf("a host without -trimpath and its module cache: %v", err)
	}
	m.Build.GOMODCACHE = "relative/mod"
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "build.gomodcache") {
		t.Errorf("Validate() = %v, want an error naming build.gomodcache", err)
	}
}
