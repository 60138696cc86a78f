package compat

import (
	"errors"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/artifact"
)

// untrimmed makes a file built without -trimpath from the module cache mc.
func untrimmed(f *artifact.File, mc string) *artifact.File {
	set(f, "-trimpath", "")
	f.ModCache = mc
	return f
}

func TestCheckModCache(t *testing.T) {
	const (
		why     = "the host was built without -trimpath, so the module cache's path is compiled into every package of a module"
		differs = "GOMODCACHE: host /home/ci/go/pkg/mod, plugin /root/go/pkg/mod: build with GOMODCACHE=/home/ci/go/pkg/mod (make build sets it from the manifest): " + why + "; or build host and plugins with -trimpath"
	)
	tests := []struct {
		name       string
		change     func(h, p *artifact.File)
		manifest   bool
		mismatches []string
		warnings   []string
	}{{
		name: "the same module cache",
		change: func(h, p *artifact.File) {
			untrimmed(h, "/home/ci/go/pkg/mod")
			untrimmed(p, "/home/ci/go/pkg/mod")
		},
	}, {
		// The hashes of every module package differ, and versions agree:
		// the path is the cause, not edited source.
		name: "another module cache",
		change: func(h, p *artifact.File) {
			untrimmed(h, "/home/ci/go/pkg/mod")
			untrimmed(p, "/root/go/pkg/mod")
			p.PkgHashes[sdk], p.PkgHashes[textkit] = "x", "y"
		},
		mismatches: []string{differs},
	}, {
		name: "another module cache, no shared module package compiled differently",
		change: func(h, p *artifact.File) {
			untrimmed(h, "/home/ci/go/pkg/mod")
			untrimmed(p, "/root/go/pkg/mod")
		},
		warnings: []string{differs},
	}, {
		name: "a host that compiled nothing from the module cache",
		change: func(h, p *artifact.File) {
			untrimmed(h, "")
			untrimmed(p, "/root/go/pkg/mod")
		},
	}, {
		name: "a host whose module cache cannot be told",
		change: func(h, p *artifact.File) {
			untrimmed(h, "").ModCacheErr = errors.New("no file table")
			untrimmed(p, "/root/go/pkg/mod")
			p.PkgHashes[textkit] = "y"
		},
		// The hashes decide; the paths are not checked, which is said.
		mismatches: []string{"module example.com/textkit: host v1.1.0, plugin v1.1.0, compiled from other source or from a module cache at another path: build from the module cache path of the host's build (GOMODCACHE, which its manifest records) and from the published module: no edited copy, no replace of example.com/textkit"},
		warnings:   []string{"GOMODCACHE: host unknown, plugin /root/go/pkg/mod: not checked: the host binary does not show the module cache it was built from (no file table); " + why + ": build with the GOMODCACHE of the host's release build, as its manifest records it, or build the host with -trimpath"},
	}, {
		// The plugin is refused for its Go release; that its module
		// cache could not be read is no cause of it.
		name: "a plugin of another Go release whose module cache cannot be told",
		change: func(h, p *artifact.File) {
			untrimmed(h, "/home/ci/go/pkg/mod")
			untrimmed(p, "").ModCacheErr = errors.New("no file table")
			p.Build.GoVersion = "go1.26.7"
			p.PkgHashes["runtime"] = "x"
		},
		mismatches: []string{"Go release: host go1.26.8, plugin go1.26.7: build with GOTOOLCHAIN=go1.26.8"},
		warnings:   []string{"GOMODCACHE: host /home/ci/go/pkg/mod, plugin unknown: not checked: the plugin does not show the module cache it was built from (no file table); " + why + ": build it with GOMODCACHE=/home/ci/go/pkg/mod (make build does)"},
	}, {
		name: "only the plugin without -trimpath",
		change: func(h, p *artifact.File) {
			untrimmed(p, "/root/go/pkg/mod")
			p.PkgHashes[textkit] = "y"
		},
		mismatches: []string{"-trimpath: host on, plugin off: add -trimpath to the plugin build"},
	}, {
		name:     "against a manifest that records the module cache",
		manifest: true,
		change: func(h, p *artifact.File) {
			untrimmed(p, "/root/go/pkg/mod")
		},
		mismatches: []string{differs},
	}, {
		name:     "against a manifest, a plugin whose module cache cannot be told",
		manifest: true,
		change: func(h, p *artifact.File) {
			untrimmed(p, "").ModCacheErr = errors.New("no file table")
		},
		warnings: []string{"GOMODCACHE: host /home/ci/go/pkg/mod, plugin unknown: not checked: the plugin does not show the module cache it was built from (no file table); " + why + ": build it with GOMODCACHE=/home/ci/go/pkg/mod (make build does), and check it against the host binary (--host), whose package hashes tell"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, p := file("gateway", "exe"), file("hello", "plugin")
			tt.change(h, p)
			target := Target{Host: h}
			if tt.manifest {
				m := exampleManifest(t)
				m.Build.Trimpath, m.Build.GOMODCACHE = false, "/home/ci/go/pkg/mod"
				target = Target{Manifest: m}
			}
			r := Check(target, p)
			checkLines(t, "mismatches", r.Mismatches, tt.mismatches)
			checkLines(t, "warnings", r.Warnings, tt.warnings)
			if r.Compatible != (len(tt.mismatches) == 0) {
				t.Errorf("Compatible = %v with mismatches %q", r.Compatible, tt.mismatches)
			}
		})
	}
}
