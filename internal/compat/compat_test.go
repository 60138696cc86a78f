package compat

import (
	"cmp"
	"debug/buildinfo"
	"debug/elf"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// The tests here hold the comparison to what each difference must say,
// on files described as data. TestCheckOracle (cmd/scaffold) holds the
// verdict to plugin.Open on files built for real.

const (
	sdk     = "example.com/gateway/sdk"
	textkit = "example.com/textkit"
	sdkSum  = "h1:c696CCWdxBMOq4rNEgEXQ3x/GMJhvreps5C9bfexY3M="
	tkSum   = "h1:UCNjsVNXuvuVY/BnkWrcVM9y+sGR4hUMVoXzck2p+J8="
)

// file describes a Go ELF file built like the example gateway's release.
func file(path, mode string) *artifact.File {
	f := &artifact.File{
		Path: path,
		Build: &buildinfo.BuildInfo{
			GoVersion: "go1.26.8",
			Path:      "example.com/" + path,
			Main:      debug.Module{Path: "example.com/" + path, Version: "(devel)"},
			Deps: []*debug.Module{
				{Path: sdk, Version: "v1.0.0", Sum: sdkSum},
				{Path: textkit, Version: "v1.1.0", Sum: tkSum},
			},
			Settings: []debug.BuildSetting{
				{Key: "-buildmode", Value: mode},
				{Key: "-compiler", Value: "gc"},
				{Key: "-tags", Value: "gateway"},
				{Key: "-trimpath", Value: "true"},
				{Key: "CGO_ENABLED", Value: "1"},
				{Key: "GOARCH", Value: "amd64"},
				{Key: "GOOS", Value: "linux"},
				{Key: "GOAMD64", Value: "v1"},
			},
		},
		Needed:    []string{"libc.so.6"},
		PkgHashes: map[string]string{"runtime": "01", "internal/goarch": "02", sdk: "03", textkit: "04", sdk + "/internal/wire": "05"},
		Machine:   elf.EM_X86_64,
	}
	if mode == "plugin" {
		f.PluginPath = f.Build.Path
		f.Exports = map[string]elf.SymType{"Plugin": elf.STT_OBJECT}
		f.PkgHashes[f.PluginPath] = "ff"
	} else {
		f.Interp = "/lib64/ld-linux-x86-64.so.2"
		f.PkgHashes["plugin"] = "06"
	}
	return f
}

func set(f *artifact.File, key, value string) {
	for i, s := range f.Build.Settings {
		if s.Key == key {
			if value == "" {
				f.Build.Settings = slices.Delete(f.Build.Settings, i, i+1)
			} else {
				f.Build.Settings[i].Value = value
			}
			return
		}
	}
	f.Build.Settings = append(f.Build.Settings, debug.BuildSetting{Key: key, Value: value})
}

func dep(f *artifact.File, path string) *debug.Module {
	for _, d := range f.Build.Deps {
		if d.Path == path {
			return d
		}
	}
	panic("no dependency " + path)
}

func exampleManifest(t *testing.T) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Load(filepath.Join("..", "..", "examples", "gateway", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCheckHost(t *testing.T) {
	tests := []struct {
		name string
		// change alters the host and the plugin as built like the release.
		change     func(h, p *artifact.File)
		compatible bool
		// shared is the number of shared packages when not the usual 5.
		shared     int
		differ     []string
		mismatches []string
		warnings   []string
	}{{
		name:       "built alike",
		change:     func(h, p *artifact.File) {},
		compatible: true,
	}, {
		name: "without -trimpath",
		change: func(h, p *artifact.File) {
			set(p, "-trimpath", "")
			p.PkgHashes["runtime"], p.PkgHashes["internal/goarch"] = "x", "y"
		},
		differ:     []string{"internal/goarch", "runtime"},
		mismatches: []string{"-trimpath: host on, plugin off: add -trimpath to the plugin build"},
	}, {
		name: "a host without -trimpath",
		change: func(h, p *artifact.File) {
			set(h, "-trimpath", "")
			p.PkgHashes["runtime"] = "x"
		},
		differ:     []string{"runtime"},
		mismatches: []string{"-trimpath: host off, plugin on: remove -trimpath from the plugin build"},
	}, {
		name: "tags that change no shared package",
		change: func(h, p *artifact.File) {
			set(p, "-tags", "gateway,extra")
		},
		compatible: true,
		warnings:   []string{"-tags: host gateway, plugin extra,gateway: build with -tags=gateway"},
	}, {
		name: "tags in another order",
		change: func(h, p *artifact.File) {
			set(h, "-tags", "b,a")
			set(p, "-tags", "a,b")
		},
		compatible: true,
	}, {
		name: "race, gcflags, asmflags, GOEXPERIMENT and Go release",
		change: func(h, p *artifact.File) {
			set(p, "-race", "true")
			set(p, "-gcflags", "all=-N -l")
			set(h, "-asmflags", "all=-spectre=ret")
			set(h, "GOEXPERIMENT", "jsonv2")
			p.Build.GoVersion = "go1.26.7"
			p.PkgHashes["runtime"] = "x"
		},
		differ: []string{"runtime"},
		mismatches: []string{
			"Go release: host go1.26.8, plugin go1.26.7: build with GOTOOLCHAIN=go1.26.8",
			"-race: host off, plugin on: remove -race from the plugin build",
			`-gcflags: host none, plugin "all=-N -l": remove -gcflags from the plugin build`,
			"-asmflags: host all=-spectre=ret, plugin none: build with -asmflags='all=-spectre=ret'",
			"GOEXPERIMENT: host jsonv2, plugin none: build with GOEXPERIMENT=jsonv2",
		},
	}, {
		name: "a GOEXPERIMENT the plugin must unset",
		change: func(h, p *artifact.File) {
			set(p, "GOEXPERIMENT", "jsonv2")
			p.Build.GoVersion = "go1.26.8 X:jsonv2"
			p.PkgHashes["runtime"] = "x"
		},
		differ:     []string{"runtime"},
		mismatches: []string{"GOEXPERIMENT: host none, plugin jsonv2: build with GOEXPERIMENT unset"},
	}, {
		name: "musl plugin for a glibc host",
		change: func(h, p *artifact.File) {
			p.Needed = []string{"libc.so"}
		},
		mismatches: []string{"libc: host glibc, plugin musl: link the plugin against glibc: build with a glibc C compiler, not musl-gcc (make build LIBC=glibc)"},
	}, {
		name: "glibc plugin for a musl host",
		change: func(h, p *artifact.File) {
			h.Interp = "/lib/ld-musl-x86_64.so.1"
			h.Needed = []string{"libc.musl-x86_64.so.1"}
		},
		compatible: true,
		warnings:   []string{"libc: host musl, plugin glibc: it loads only through musl's glibc compatibility (musl's loader takes libc.so.6 for itself), and fails at the first glibc-only symbol musl lacks: link the plugin against musl (make build-musl)"},
	}, {
		name: "another architecture",
		change: func(h, p *artifact.File) {
			set(p, "GOARCH", "arm64")
			set(p, "GOAMD64", "")
			set(p, "GOARM64", "v8.0")
			p.PkgHashes["internal/goarch"] = "x"
		},
		differ:     []string{"internal/goarch"},
		mismatches: []string{"GOARCH: host amd64, plugin arm64: build with GOARCH=amd64"},
	}, {
		name: "cgo off",
		change: func(h, p *artifact.File) {
			set(p, "CGO_ENABLED", "0")
		},
		mismatches: []string{"CGO_ENABLED: host 1, plugin 0: build with CGO_ENABLED=1: plugins need cgo on both sides"},
	}, {
		name: "GOAMD64 that changes no shared package",
		change: func(h, p *artifact.File) {
			set(p, "GOAMD64", "v3")
		},
		compatible: true,
		warnings:   []string{"GOAMD64: host v1, plugin v3: build with GOAMD64=v1, the host's level: code for a higher level stops with an illegal instruction on older CPUs"},
	}, {
		name: "a shared module one version higher",
		change: func(h, p *artifact.File) {
			*dep(p, textkit) = debug.Module{Path: textkit, Version: "v1.2.0", Sum: "h1:other="}
			p.PkgHashes[textkit], p.PkgHashes[sdk] = "x", "y"
		},
		differ:     []string{sdk, textkit},
		mismatches: []string{"module example.com/textkit: host v1.1.0, plugin v1.2.0: pin example.com/textkit to v1.1.0: make get MODULE=example.com/textkit@v1.1.0 (or go get example.com/textkit@v1.1.0 outside a scaffold repository)"},
	}, {
		name: "the same version with other content",
		change: func(h, p *artifact.File) {
			dep(p, textkit).Sum = "h1:other="
			p.PkgHashes[textkit] = "x"
		},
		differ:     []string{textkit},
		mismatches: []string{"module example.com/textkit: host v1.1.0 " + tkSum + ", plugin v1.1.0 h1:other=: the two builds downloaded different content for example.com/textkit v1.1.0: fetch it from the host's module proxy into a clean module cache, with checksum verification on"},
	}, {
		name: "a host that took the SDK from a workspace",
		change: func(h, p *artifact.File) {
			*dep(h, sdk) = debug.Module{Path: sdk, Version: "(devel)"}
			p.PkgHashes[sdk] = "x"
		},
		differ:     []string{sdk},
		mismatches: []string{"module example.com/gateway/sdk: host (devel) from a workspace, plugin v1.0.0: the host must be built with example.com/gateway/sdk as a published, versioned module (no go.work, no directory replace); a plugin cannot reproduce a build from source"},
	}, {
		name: "a host that took the SDK from a directory",
		change: func(h, p *artifact.File) {
			dep(h, sdk).Replace = &debug.Module{Path: "../sdk"}
			p.PkgHashes[sdk] = "x"
		},
		differ:     []string{sdk},
		mismatches: []string{"module example.com/gateway/sdk: host v1.0.0 => ../sdk (a directory replace), plugin v1.0.0: the host must be built with example.com/gateway/sdk as a published, versioned module (no go.work, no directory replace); a plugin cannot reproduce a build from source"},
	}, {
		name: "a plugin that took the SDK from a workspace",
		change: func(h, p *artifact.File) {
			*dep(p, sdk) = debug.Module{Path: sdk, Version: "(devel)"}
			p.PkgHashes[sdk] = "x"
		},
		differ:     []string{sdk},
		mismatches: []string{"module example.com/gateway/sdk: host v1.0.0, plugin (devel) from a workspace: build the plugin without go.work (GOWORK=off) and pin example.com/gateway/sdk to v1.0.0: make get MODULE=example.com/gateway/sdk@v1.0.0 (or go get example.com/gateway/sdk@v1.0.0 outside a scaffold repository)"},
	}, {
		name: "a plugin that replaced the SDK with a directory",
		change: func(h, p *artifact.File) {
			dep(p, sdk).Replace = &debug.Module{Path: "../sdk"}
			dep(p, sdk).Sum = ""
			p.PkgHashes[sdk] = "x"
		},
		differ:     []string{sdk},
		mismatches: []string{"module example.com/gateway/sdk: host v1.0.0, plugin v1.0.0 => ../sdk (a directory replace): drop the plugin's replace of example.com/gateway/sdk and pin it to v1.0.0: go mod edit -dropreplace=example.com/gateway/sdk && make get MODULE=example.com/gateway/sdk@v1.0.0 (or go get example.com/gateway/sdk@v1.0.0 outside a scaffold repository)"},
	}, {
		name: "a host that replaced a module with a fork",
		change: func(h, p *artifact.File) {
			dep(h, textkit).Replace = &debug.Module{Path: "example.com/fork/textkit", Version: "v1.1.1", Sum: "h1:fork="}
			dep(h, textkit).Sum = ""
			p.PkgHashes[textkit] = "x"
		},
		differ:     []string{textkit},
		mismatches: []string{"module example.com/textkit: host v1.1.0 => example.com/fork/textkit v1.1.1, plugin v1.1.0: replace example.com/textkit as the host does: go mod edit -replace=example.com/textkit=example.com/fork/textkit@v1.1.1"},
	}, {
		name: "both replaced alike",
		change: func(h, p *artifact.File) {
			for _, f := range []*artifact.File{h, p} {
				dep(f, textkit).Replace = &debug.Module{Path: "example.com/fork/textkit", Version: "v1.1.1", Sum: "h1:fork="}
				dep(f, textkit).Sum = ""
			}
		},
		compatible: true,
	}, {
		name: "a plugin that imports a published version of the host's main module",
		change: func(h, p *artifact.File) {
			h.Build.Main.Path = "example.com/host"
			p.Build.Deps = append(p.Build.Deps, &debug.Module{Path: "example.com/host", Version: "v1.0.0", Sum: "h1:host="})
			h.PkgHashes["example.com/host/api"], p.PkgHashes["example.com/host/api"] = "a", "b"
		},
		shared:     6,
		differ:     []string{"example.com/host/api"},
		mismatches: []string{"module example.com/host (the host's main module): host built as the main module, plugin v1.0.0: build the plugin in a Go workspace with the host's source at its release: make build does (go work init . && go work use PATH/TO/HOST)"},
	}, {
		name: "a plugin that replaces the host's main module with its checkout",
		change: func(h, p *artifact.File) {
			h.Build.Main.Path, h.Build.Main.Version = "example.com/host", "v1.9.2-0.20260707114557-2e9450120e2b"
			p.Build.Deps = append(p.Build.Deps, &debug.Module{Path: "example.com/host", Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "/src/host"}})
			h.PkgHashes["example.com/host/api"], p.PkgHashes["example.com/host/api"] = "a", "b"
		},
		shared:     6,
		differ:     []string{"example.com/host/api"},
		mismatches: []string{"module example.com/host (the host's main module): host built as the main module at Go: v1.9.2-0.20260707114557-2e9450120e2b, plugin v0.0.0-00010101000000-000000000000 => /src/host (a directory replace): drop the replace (go mod edit -dropreplace=example.com/host -droprequire=example.com/host) and build the plugin in a Go workspace with the host's source at Go: v1.9.2-0.20260707114557-2e9450120e2b: make build does (go work init . && go work use PATH/TO/HOST)"},
	}, {
		name: "a plugin built in a workspace with edited source of the host's main module",
		change: func(h, p *artifact.File) {
			h.Build.Main.Path = "example.com/host"
			p.Build.Deps = append(p.Build.Deps, &debug.Module{Path: "example.com/host", Version: "(devel)"})
			h.PkgHashes["example.com/host/api"], p.PkgHashes["example.com/host/api"] = "a", "b"
		},
		shared:     6,
		differ:     []string{"example.com/host/api"},
		mismatches: []string{"module example.com/host (the host's main module) (example.com/host/api): host built as the main module at its release, plugin compiled from other source in its workspace: use the host's source at its release, unedited, in the workspace: make build checks the revision (git -C HOST_SRC status shows edits)"},
	}, {
		name: "an edited vendored copy",
		change: func(h, p *artifact.File) {
			for _, d := range p.Build.Deps {
				d.Sum = ""
			}
			p.PkgHashes[sdk+"/internal/wire"] = "x"
		},
		differ:     []string{sdk + "/internal/wire"},
		mismatches: []string{"vendored module example.com/gateway/sdk (example.com/gateway/sdk/internal/wire): host v1.0.0 from the module cache, plugin v1.0.0 from vendor/, edited: restore the vendored copy with go mod vendor, or build with -mod=mod"},
	}, {
		name: "an unedited vendored copy",
		change: func(h, p *artifact.File) {
			for _, d := range p.Build.Deps {
				d.Sum = ""
			}
		},
		compatible: true,
	}, {
		name: "other source with nothing else different",
		change: func(h, p *artifact.File) {
			p.PkgHashes[textkit] = "x"
			p.PkgHashes["runtime"] = "y"
		},
		differ: []string{textkit, "runtime"},
		mismatches: []string{
			"standard library (runtime): host go1.26.8, plugin go1.26.8, compiled differently: build both with an unmodified Go distribution of the same release",
			"module example.com/textkit: host v1.1.0, plugin v1.1.0, compiled from other source: build both from the published module: no edited copy, no replace of example.com/textkit",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, p := file("gateway", "exe"), file("hello", "plugin")
			tt.change(h, p)
			r := Check(Target{Host: h}, p)
			if r.Compatible != tt.compatible {
				t.Errorf("Compatible = %v, want %v", r.Compatible, tt.compatible)
			}
			if want := cmp.Or(tt.shared, 5); r.SharedPackages != want {
				t.Errorf("SharedPackages = %d, want %d", r.SharedPackages, want)
			}
			if !slices.Equal(r.DifferentPackages, tt.differ) {
				t.Errorf("DifferentPackages = %q, want %q", r.DifferentPackages, tt.differ)
			}
			checkLines(t, "mismatches", r.Mismatches, tt.mismatches)
			checkLines(t, "warnings", r.Warnings, tt.warnings)
		})
	}
}

func checkLines(t *testing.T, what string, got []Mismatch, want []string) {
	t.Helper()
	var lines []string
	for _, m := range got {
		lines = append(lines, m.String())
	}
	if !slices.Equal(lines, want) {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckContract(t *testing.T) {
	m := exampleManifest(t)
	tests := []struct {
		name       string
		exports    map[string]elf.SymType
		missing    []string
		mismatches []string
	}{
		{"exported", map[string]elf.SymType{"Plugin": elf.STT_OBJECT}, nil, nil},
		{"missing", map[string]elf.SymType{"Plugins": elf.STT_OBJECT}, []string{"Plugin"}, []string{
			"symbol Plugin: host looks it up, plugin does not export it: declare it in the plugin's package main: var Plugin sdk.Plugin = ...",
		}},
		{"a function", map[string]elf.SymType{"Plugin": elf.STT_FUNC}, nil, []string{
			"symbol Plugin: host looks up a variable of type sdk.Plugin, plugin exports a function: make it a variable: var Plugin sdk.Plugin = ...",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := file("hello", "plugin")
			p.Exports = tt.exports
			for _, target := range []Target{{Manifest: m}, {Host: file("gateway", "exe"), Manifest: m}} {
				r := Check(target, p)
				if !slices.Equal(r.MissingSymbols, tt.missing) {
					t.Errorf("MissingSymbols = %q, want %q", r.MissingSymbols, tt.missing)
				}
				checkLines(t, "mismatches", r.Mismatches, tt.mismatches)
				if r.Compatible != (len(tt.mismatches) == 0) {
					t.Errorf("Compatible = %v with mismatches %v", r.Compatible, r.Mismatches)
				}
			}
		})
	}
}

// TestCheckContractKinds holds plugins of the other contract kinds to
// what their hosts look up: a symbol set's required functions and
// variables, a constructor, the handlers a generated plugin was given.
func TestCheckContractKinds(t *testing.T) {
	symbols := manifest.Contract{Kind: manifest.KindSymbols, Symbols: []manifest.Symbol{
		{Name: "Init", Type: "func(config any) error", Required: true},
		{Name: "Version", Type: "string", Required: true},
		{Name: "PreHook", Type: "func()"},
	}}
	ctor := manifest.Contract{Kind: manifest.KindConstructor, Constructor: &manifest.Func{Name: "New", Signature: "func() sdk.Plugin"}}
	handlers := manifest.Contract{Kind: manifest.KindHandlers, Handler: &manifest.Handler{Type: "func(http.ResponseWriter, *http.Request)"}}
	for _, tt := range []struct {
		name       string
		k          manifest.Contract
		handlers   []string
		exports    map[string]elf.SymType
		mismatches []string
	}{
		{"symbols, optional left out", symbols, nil, map[string]elf.SymType{"Init": elf.STT_FUNC, "Version": elf.STT_OBJECT}, nil},
		{"symbols, required missing and a variable as a function", symbols, nil, map[string]elf.SymType{"Version": elf.STT_FUNC}, []string{
			"symbol Init: host looks it up, plugin does not export it: declare it in the plugin's package main: func Init(config any) error",
			"symbol Version: host looks up a variable of type string, plugin exports a function: make it a variable: var Version string = ...",
		}},
		{"constructor", ctor, nil, map[string]elf.SymType{"New": elf.STT_FUNC}, nil},
		{"constructor as a variable", ctor, nil, map[string]elf.SymType{"New": elf.STT_OBJECT}, []string{
			"symbol New: host looks up a function of type func() sdk.Plugin, plugin exports a variable: make it a function: func New() sdk.Plugin",
		}},
		{"handlers", handlers, []string{"Hello", "Auth"}, map[string]elf.SymType{"Hello": elf.STT_FUNC}, []string{
			"symbol Auth: host looks it up, plugin does not export it: declare it in the plugin's package main: func Auth(http.ResponseWriter, *http.Request)",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := exampleManifest(t)
			m.Contract = tt.k
			p := file("hello", "plugin")
			p.Exports = tt.exports
			r := Check(Target{Manifest: m, Handlers: tt.handlers}, p)
			checkLines(t, "mismatches", r.Mismatches, tt.mismatches)
		})
	}
}

func TestCheckManifest(t *testing.T) {
	tests := []struct {
		name       string
		change     func(p *artifact.File)
		mismatches []string
		warnings   []string
	}{{
		name:   "built as the manifest says",
		change: func(p *artifact.File) {},
	}, {
		name: "for another architecture the host ships for",
		change: func(p *artifact.File) {
			set(p, "GOARCH", "arm64")
			set(p, "GOAMD64", "")
			set(p, "GOARM64", "v8.0")
		},
	}, {
		name:   "for one it does not ship for",
		change: func(p *artifact.File) { set(p, "GOARCH", "riscv64"); set(p, "GOAMD64", "") },
		mismatches: []string{
			"GOARCH: host amd64 or arm64, plugin riscv64: build with GOARCH=amd64",
		},
	}, {
		name:   "for musl, which the host ships for",
		change: func(p *artifact.File) { p.Needed = []string{"libc.so"} },
	}, {
		// A manifest cannot tell which settings change no shared package:
		// every difference counts.
		name: "with settings the host was not built with",
		change: func(p *artifact.File) {
			set(p, "-tags", "extra,gateway")
			set(p, "GOAMD64", "v3")
			p.Build.GoVersion = "go1.26.7"
		},
		mismatches: []string{
			"Go release: host go1.26.8, plugin go1.26.7: build with GOTOOLCHAIN=go1.26.8",
			"-tags: host gateway, plugin extra,gateway: build with -tags=gateway",
			"GOAMD64: host v1, plugin v3: build with GOAMD64=v1, the host's level: code for a higher level stops with an illegal instruction on older CPUs",
		},
	}, {
		name: "with settings a manifest does not record",
		change: func(p *artifact.File) {
			set(p, "GOFIPS140", "v1.0.0")
		},
	}, {
		name: "with a module at another version",
		change: func(p *artifact.File) {
			*dep(p, textkit) = debug.Module{Path: textkit, Version: "v1.2.0", Sum: "h1:x="}
		},
		mismatches: []string{
			"module example.com/textkit: host v1.1.0, plugin v1.2.0: pin example.com/textkit to v1.1.0: make get MODULE=example.com/textkit@v1.1.0 (or go get example.com/textkit@v1.1.0 outside a scaffold repository)",
		},
	}, {
		name:   "with other content for the same version",
		change: func(p *artifact.File) { dep(p, sdk).Sum = "h1:x=" },
		mismatches: []string{
			"module example.com/gateway/sdk: host v1.0.0 " + sdkSum + ", plugin v1.0.0 h1:x=: the two builds downloaded different content for example.com/gateway/sdk v1.0.0: fetch it from the module proxy the manifest names into a clean module cache, with checksum verification on",
		},
	}, {
		name: "from vendor/",
		change: func(p *artifact.File) {
			for _, d := range p.Build.Deps {
				d.Sum = ""
			}
		},
		warnings: []string{
			"module sources: host published modules, plugin vendor/ (build info records no sums): an edited vendored copy cannot be seen from build info: check against the host binary (--host), or build with -mod=mod",
		},
	}}
	m := exampleManifest(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := file("hello", "plugin")
			tt.change(p)
			r := Check(Target{Manifest: m}, p)
			if r.Compatible != (len(tt.mismatches) == 0) {
				t.Errorf("Compatible = %v, want %v", r.Compatible, len(tt.mismatches) == 0)
			}
			if r.SharedPackages != 0 || r.DifferentPackages != nil {
				t.Errorf("a manifest has no package hashes, but the report counts %d", r.SharedPackages)
			}
			checkLines(t, "mismatches", r.Mismatches, tt.mismatches)
			checkLines(t, "warnings", r.Warnings, tt.warnings)
		})
	}
}

func TestWriteText(t *testing.T) {
	h, p := file("gateway", "exe"), file("hello", "plugin")
	set(p, "-trimpath", "")
	set(p, "-tags", "gateway,extra")
	p.PkgHashes["runtime"], p.PkgHashes["internal/goarch"] = "x", "y"
	var b strings.Builder
	if err := Check(Target{Host: h}, p).WriteText(&b, "host ./gateway"); err != nil {
		t.Fatal(err)
	}
	want := `hello: incompatible with host ./gateway: 2 of 5 shared packages differ: internal/goarch, runtime
  -trimpath: host on, plugin off: add -trimpath to the plugin build
  -tags: host gateway, plugin extra,gateway: build with -tags=gateway
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}

	b.Reset()
	set(p, "-trimpath", "true")
	p.PkgHashes["runtime"], p.PkgHashes["internal/goarch"] = "01", "02"
	if err := Check(Target{Host: h}, p).WriteText(&b, "host ./gateway"); err != nil {
		t.Fatal(err)
	}
	want = `hello: compatible with host ./gateway: all 5 shared packages agree
  warning: -tags: host gateway, plugin extra,gateway: build with -tags=gateway
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}

	// Every hash agrees, but the loader refuses another platform: the
	// verdict says the lines below stop it, not that all is well.
	b.Reset()
	set(p, "GOARCH", "arm64")
	if err := Check(Target{Host: h}, p).WriteText(&b, "host ./gateway"); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.SplitN(b.String(), "\n", 2)[0], "hello: incompatible with host ./gateway: all 5 shared packages agree, but 1 difference below stops it"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestForeignPlugin: against a host binary alone, a plugin linking
// modules of which the host links none loads as far as plugin.Open goes,
// and is reported compatible, with a warning that it may be another
// host's; one sharing a module with the host gets no such warning, nor
// one given the manifest, whose symbols decide.
func TestForeignPlugin(t *testing.T) {
	h, p := file("gateway", "exe"), file("hello", "plugin")
	p.Build.Deps = []*debug.Module{{Path: "example.com/relay/sdk", Version: "v1.0.0", Sum: sdkSum}}
	delete(p.PkgHashes, sdk)
	delete(p.PkgHashes, textkit)
	delete(p.PkgHashes, sdk+"/internal/wire")
	r := Check(Target{Host: h}, p)
	if !r.Compatible {
		t.Errorf("got incompatible, want compatible: %v", r.Mismatches)
	}
	want := "modules the plugin links: host none of them, plugin example.com/relay/sdk: the plugin may be made for another host: check it against this host's release manifest too (--manifest), which names the symbols the host looks up"
	checkLines(t, "warnings", r.Warnings, []string{want})

	if r := Check(Target{Host: h}, file("hello", "plugin")); len(r.Warnings) != 0 {
		t.Errorf("a plugin sharing the host's modules: got warnings %v, want none", r.Warnings)
	}
}

// TestCheckHostRelease: with the release manifest beside the host binary,
// a cause line names the host's own module by its release tag and commit
// beside the pseudo-version Go records for it.
func TestCheckHostRelease(t *testing.T) {
	h, p := file("gateway", "exe"), file("hello", "plugin")
	h.Build.Main.Path, h.Build.Main.Version = "example.com/host", "v1.9.2-0.20260707114557-2e9450120e2b"
	p.Build.Deps = append(p.Build.Deps, &debug.Module{Path: "example.com/host", Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "../host"}})
	h.PkgHashes["example.com/host/api"], p.PkgHashes["example.com/host/api"] = "a", "b"
	m := exampleManifest(t)
	m.Host.Module, m.Host.Version = "example.com/host", "v5.14.0"
	m.Host.Source = &manifest.Source{Repository: "https://example.com/host.git", Revision: "2e9450120e2b" + strings.Repeat("0", 28)}
	r := Check(Target{Host: h, Manifest: m}, p)
	var line string
	for _, mm := range r.Mismatches {
		if strings.HasPrefix(mm.What, "module example.com/host ") {
			line = mm.String()
		}
	}
	want := "module example.com/host (the host's main module): host built as the main module at v5.14.0 (revision 2e9450120e2b0000000000000000000000000000, Go: v1.9.2-0.20260707114557-2e9450120e2b), plugin"
	if !strings.HasPrefix(line, want) {
		t.Errorf("got %q\nwant it to start with %q", line, want)
	}
}

// TestSameHostDirectory: a directory replace in a workspace host's go.mod
// is the same source when the plugin reaches it through the host's
// checkout in its workspace, and only then.
func TestSameHostDirectory(t *testing.T) {
	dirReplace := func(dir, version string) module {
		return module{version: "v0.0.0", replace: &module{version: version}, replacePath: dir}
	}
	host := &facts{mainModule: "example.com/mono"}
	inWorkspace := &facts{modules: map[string]module{"example.com/mono": {version: devel}}}
	byReplace := &facts{modules: map[string]module{"example.com/mono": dirReplace("/src/mono", "")}}
	for _, tt := range []struct {
		name   string
		p      *facts
		hm, pm module
		want   bool
	}{
		{"through the workspace", inWorkspace, dirReplace("./third_party/legacy", ""), dirReplace("./.host/abc/third_party/legacy", devel), true},
		{"another directory", inWorkspace, dirReplace("./third_party/legacy", ""), dirReplace("./vendor/legacy", devel), false},
		{"a host path outside its module", inWorkspace, dirReplace("../legacy", ""), dirReplace("./.host/abc/../legacy", devel), false},
		{"host module by replace", byReplace, dirReplace("./third_party/legacy", ""), dirReplace("/src/mono/third_party/legacy", ""), false},
		{"another version", inWorkspace, dirReplace("./third_party/legacy", ""), module{version: "v0.1.0", replace: &module{version: devel}, replacePath: "./.host/abc/third_party/legacy"}, false},
	} {
		if got := sameHostDirectory(host, tt.p, tt.hm, tt.pm); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
