package compat

import (
	"fmt"
	"slices"
	"strings"
)

// A setting is a build setting that must be the same for host and plugin,
// with the fix to give when it is not.
type setting struct {
	// key is the build-info key.
	key string
	// inManifest is set for the settings a manifest records; the others
	// are compared between binaries only.
	inManifest bool
	// arch, for a GOARCH-specific variable such as GOAMD64, is the
	// architecture it applies to.
	arch string
	fix  func(host string) string
}

// platformSettings decide whether the dynamic loader and the runtime can
// take the plugin at all.
var platformSettings = []setting{
	{key: "CGO_ENABLED", inManifest: true, fix: func(h string) string {
		return "build with CGO_ENABLED=" + h + ": plugins need cgo on both sides"
	}},
	{key: "GOOS", inManifest: true, fix: envFix("GOOS")},
	{key: "GOARCH", inManifest: true, fix: envFix("GOARCH")},
}

// compileSettings change how packages compile, and so their hashes.
var compileSettings = []setting{
	{key: "-trimpath", inManifest: true, fix: flagFix("-trimpath")},
	{key: "-race", inManifest: true, fix: flagFix("-race")},
	{key: "-asan", fix: flagFix("-asan")},
	{key: "-msan", fix: flagFix("-msan")},
	{key: "-cover", fix: flagFix("-cover")},
	{key: "-tags", inManifest: true, fix: func(h string) string {
		if h == "" {
			return "build the plugin without -tags"
		}
		return "build with -tags=" + h
	}},
	{key: "-gcflags", inManifest: true, fix: quotedFlagFix("-gcflags")},
	{key: "-asmflags", inManifest: true, fix: quotedFlagFix("-asmflags")},
	{key: "GOAMD64", inManifest: true, arch: "amd64", fix: func(h string) string {
		return "build with GOAMD64=" + h + ", the host's level: code for a higher level stops with an illegal instruction on older CPUs"
	}},
	{key: "GOARM64", arch: "arm64", fix: envFix("GOARM64")},
	{key: "GOARM", arch: "arm", fix: envFix("GOARM")},
	{key: "GO386", arch: "386", fix: envFix("GO386")},
	{key: "GOPPC64", arch: "ppc64", fix: envFix("GOPPC64")},
	{key: "GORISCV64", arch: "riscv64", fix: envFix("GORISCV64")},
	{key: "GOEXPERIMENT", inManifest: true, fix: envFix("GOEXPERIMENT")},
	{key: "GOFIPS140", fix: envFix("GOFIPS140")},
}

func flagFix(flag string) func(string) string {
	return func(h string) string {
		if h == "on" {
			return "add " + flag + " to the plugin build"
		}
		return "remove " + flag + " from the plugin build"
	}
}

func quotedFlagFix(flag string) func(string) string {
	return func(h string) string {
		if h == "" {
			return "remove " + flag + " from the plugin build"
		}
		return fmt.Sprintf("build with %s='%s'", flag, h)
	}
}

func envFix(name string) func(string) string {
	return func(h string) string {
		if h == "" {
			return "build with " + name + " unset"
		}
		return "build with " + name + "=" + h
	}
}

// compareSettings compares the settings of list that both sides record.
func compareSettings(h, p *facts, list []setting) []Mismatch {
	var ms []Mismatch
	for _, s := range list {
		if h.manifest && !s.inManifest {
			continue
		}
		pv := p.settings[s.key]
		if s.key == "GOARCH" {
			if pv != "" && len(h.goarch) > 0 && !slices.Contains(h.goarch, pv) {
				ms = append(ms, Mismatch{What: "GOARCH", Host: strings.Join(h.goarch, " or "), Plugin: pv, Fix: envFix("GOARCH")(h.goarch[0])})
			}
			continue
		}
		if s.arch != "" && (p.settings["GOARCH"] != s.arch || !slices.Contains(h.goarch, s.arch)) {
			continue
		}
		hv := h.settings[s.key]
		if s.arch != "" && h.manifest && hv == "" {
			continue // a manifest made before the variable was recorded
		}
		if hv != pv {
			ms = append(ms, Mismatch{What: s.key, Host: show(hv), Plugin: show(pv), Fix: s.fix(hv)})
		}
	}
	return ms
}

// compareGo compares the Go releases.
func compareGo(h, p *facts) []Mismatch {
	if h.goVersion == p.goVersion {
		return nil
	}
	return []Mismatch{{
		What:   "Go release",
		Host:   h.goVersion,
		Plugin: p.goVersion,
		Fix:    "build with GOTOOLCHAIN=" + h.goVersion,
	}}
}

// compareLibc compares the C library families. The dynamic loader
// refuses a plugin linked against a libc the host does not use, with one
// exception, measured: musl's loader maps glibc's libc.so.6 to itself, so
// a glibc plugin loads into a musl host. It still fails on a glibc-only
// symbol musl lacks, so that case is a warning, not a pass.
func compareLibc(h, p *facts) (refused, warned []Mismatch) {
	if len(h.libc) == 0 || len(p.libc) == 0 || slices.Contains(h.libc, p.libc[0]) {
		return nil, nil
	}
	want := h.libc[0]
	if p.libc[0] == "glibc" && want == "musl" {
		return nil, []Mismatch{{What: "libc", Host: "musl", Plugin: "glibc",
			Fix: "it loads only through musl's glibc compatibility (musl's loader takes libc.so.6 for itself), and fails at the first glibc-only symbol musl lacks: link the plugin against musl (make build-musl)"}}
	}
	fix := map[string]string{
		"glibc": "link the plugin against glibc: build with a glibc C compiler, not musl-gcc (make build LIBC=glibc)",
		"musl":  "link the plugin against musl: build with CC=musl-gcc or in the host's musl builder image (make build-musl)",
	}[want]
	return []Mismatch{{What: "libc", Host: strings.Join(h.libc, " or "), Plugin: p.libc[0], Fix: fix}}, nil
}
