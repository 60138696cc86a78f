package main

import (
	"debug/buildinfo"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/compat"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestReleaseAdvice: a plugin of another release is sent to the host's
// release. The manifest names it when it is that release; beside a binary
// of another release, the binary's release is meant, which the manifest
// does not name, and the advice does not send the plugin to the
// manifest's.
func TestReleaseAdvice(t *testing.T) {
	m, err := manifest.Load(filepath.Join("..", "..", "examples", "gateway", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	binary := func(sdk string) *buildinfo.BuildInfo {
		return &buildinfo.BuildInfo{Deps: []*debug.Module{{Path: "example.com/gateway/sdk", Version: sdk}}}
	}
	for _, tt := range []struct {
		name         string
		host, plugin string // SDK versions; host "" for no binary
		want         string
	}{
		{"manifest alone", "", "v0.9.0",
			"  the plugin was built for another release (example.com/gateway/sdk v0.9.0, not v1.0.0): move its repository to gateway v1.0.0 with scaffold upgrade --manifest m.yaml, then rebuild\n"},
		{"the manifest's own binary", "v1.0.0", "v0.9.0",
			"  the plugin was built for another release (example.com/gateway/sdk v0.9.0, not v1.0.0): move its repository to gateway v1.0.0 with scaffold upgrade --manifest m.yaml, then rebuild\n"},
		{"a binary of another release", "v0.9.0", "v1.0.0",
			"  the plugin was built for another release (example.com/gateway/sdk v1.0.0, not v0.9.0): move its repository to the host's release with scaffold upgrade --manifest MANIFEST, then rebuild\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := compat.Target{Manifest: m}
			if tt.host != "" {
				target.Host = &artifact.File{Build: binary(tt.host)}
			}
			var b strings.Builder
			if err := writeReleaseAdvice(&b, target, "m.yaml", binary(tt.plugin)); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got  %q\nwant %q", b.String(), tt.want)
			}
		})
	}
}
