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

// TestReleaseAdviceOnePin: a plugin that differs from the host in one
// module the host builds, not the SDK, and in nothing else, was pinned
// wrong, not built for another release: its cause line says how to pin
// it, and no advice sends it to scaffold upgrade. More than that is
// another release.
func TestReleaseAdviceOnePin(t *testing.T) {
	m, err := manifest.Load(filepath.Join("..", "..", "examples", "gateway", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	build := func(goVersion string, deps ...string) *buildinfo.BuildInfo {
		bi := &buildinfo.BuildInfo{GoVersion: goVersion}
		for i := 0; i < len(deps); i += 2 {
			bi.Deps = append(bi.Deps, &debug.Module{Path: deps[i], Version: deps[i+1]})
		}
		return bi
	}
	m.Modules = append(m.Modules, manifest.Module{Path: "example.com/fmtkit", Version: "v1.0.0"})
	host := build("go1.26.8", "example.com/gateway/sdk", "v1.0.0", "example.com/textkit", "v1.1.0", "example.com/fmtkit", "v1.0.0")
	for _, tt := range []struct {
		name   string
		plugin *buildinfo.BuildInfo
		advice bool
	}{
		{"one raised module", build("go1.26.8", "example.com/gateway/sdk", "v1.0.0", "example.com/textkit", "v1.2.0"), false},
		{"one lowered module", build("go1.26.8", "example.com/gateway/sdk", "v1.0.0", "example.com/textkit", "v1.0.0"), false},
		// Which module is the SDK only a manifest tells (inside a
		// plugin's repository, its scaffold.lock).
		{"the SDK", build("go1.26.8", "example.com/gateway/sdk", "v0.9.0", "example.com/textkit", "v1.1.0"), true},
		{"two modules", build("go1.26.8", "example.com/gateway/sdk", "v1.0.0", "example.com/textkit", "v1.0.0", "example.com/fmtkit", "v1.1.0"), true},
		{"one module and the Go release", build("go1.26.7", "example.com/gateway/sdk", "v1.0.0", "example.com/textkit", "v1.0.0"), true},
	} {
		for _, target := range []struct {
			name string
			t    compat.Target
		}{
			{"host", compat.Target{Host: &artifact.File{Build: host}}},
			{"host and manifest", compat.Target{Host: &artifact.File{Build: host}, Manifest: m}},
			{"manifest", compat.Target{Manifest: m}},
		} {
			t.Run(tt.name+"/"+target.name, func(t *testing.T) {
				var b strings.Builder
				if err := writeReleaseAdvice(&b, target.t, "m.yaml", tt.plugin); err != nil {
					t.Fatal(err)
				}
				want := tt.advice && (target.t.Manifest != nil || tt.name != "the SDK")
				if got := b.String() != ""; got != want {
					t.Errorf("advice %v, want %v: %q", got, want, b.String())
				}
			})
		}
	}
}
