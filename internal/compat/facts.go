package compat

import (
	"debug/elf"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

const stObject = elf.STT_OBJECT

// devel is the version build info gives a module built from source in a
// workspace (or the main module).
const devel = "(devel)"

// facts are what one side says about its build, in a form both a binary
// and a manifest can give.
type facts struct {
	goVersion string
	// settings are build settings by build-info key, normalized: "on" or
	// "off" for flags, tags sorted.
	settings map[string]string
	// goarch lists the architectures: one for a binary, the ones a host
	// ships for in a manifest.
	goarch []string
	// libc lists the libc families: one (or none) for a binary, the ones a
	// host ships for in a manifest.
	libc []string
	// modules are the dependencies by path.
	modules map[string]module
	// mainModule is the main module's path; mainVersion its version, as
	// Go records it (a pseudo-version, for a host released from a tag its
	// module path cannot carry).
	mainModule, mainVersion string
	// release and revision name the host's release as people know it (the
	// tag) and its commit, when a manifest says so.
	release, revision string
	// vendored is set when the modules came from a vendor directory.
	vendored bool
	// manifest is set for facts from a manifest, which records fewer
	// settings than a binary.
	manifest bool
	// modCache is the module cache a build without -trimpath compiled its
	// modules from; modCacheErr says why a binary's cannot be told.
	modCache    string
	modCacheErr error
}

// A module is one build-list entry.
type module struct {
	version, sum string
	replace      *module
	// replacePath is the replacement's path (a module path, or a
	// directory when replace.version is empty).
	replacePath string
}

// fromSource tells a module compiled from a directory of source rather
// than a versioned module: a workspace module or a directory replace (which
// a workspace build records at version (devel)).
func (m module) fromSource() bool {
	return m.version == devel || (m.replace != nil && (m.replace.version == "" || m.replace.version == devel))
}

// flags are the boolean build settings; build info records them only
// when on.
var flags = []string{"-trimpath", "-race", "-asan", "-msan", "-cover"}

func fromFile(a *artifact.File) *facts {
	f := &facts{
		goVersion: a.GoVersion(),
		settings:  map[string]string{},
		modules:   map[string]module{},
	}
	for _, s := range a.Build.Settings {
		f.settings[s.Key] = s.Value
	}
	for _, k := range flags {
		f.settings[k] = onOff(f.settings[k] == "true")
	}
	f.settings["-tags"] = normalizeTags(strings.Split(f.settings["-tags"], ","))
	if arch := f.settings["GOARCH"]; arch != "" {
		f.goarch = []string{arch}
	}
	if l := a.Libc(); l != "" {
		f.libc = []string{l}
	}
	f.mainModule, f.mainVersion = a.Build.Main.Path, a.Build.Main.Version
	f.modCache, f.modCacheErr = a.ModCache, a.ModCacheErr
	versioned, summed := 0, 0
	for _, d := range a.Build.Deps {
		m := module{version: d.Version, sum: d.Sum}
		if d.Replace != nil {
			m.replace = &module{version: d.Replace.Version, sum: d.Replace.Sum}
			m.replacePath = d.Replace.Path
		}
		f.modules[d.Path] = m
		if d.Version != devel {
			versioned++
		}
		if d.Sum != "" || (d.Replace != nil && d.Replace.Sum != "") {
			summed++
		}
	}
	// The go command records no sums when it builds from vendor/, and
	// nothing else says so.
	f.vendored = versioned > 0 && summed == 0
	return f
}

func fromManifest(m *manifest.Manifest) *facts {
	b := m.Build
	f := &facts{
		goVersion: m.Go,
		settings: map[string]string{
			"-trimpath":    onOff(b.Trimpath),
			"-race":        onOff(b.Race),
			"-tags":        normalizeTags(b.Tags),
			"-gcflags":     b.Gcflags,
			"-asmflags":    b.Asmflags,
			"CGO_ENABLED":  map[bool]string{true: "1", false: "0"}[b.CGO],
			"GOOS":         b.GOOS,
			"GOAMD64":      b.GOAMD64,
			"GOEXPERIMENT": b.Goexperiment,
		},
		goarch:      b.GOARCH,
		libc:        m.Libc.Families(),
		modules:     map[string]module{},
		mainModule:  m.Host.Module,
		mainVersion: m.Host.Version,
		release:     m.Host.Version,
		manifest:    true,
		modCache:    b.GOMODCACHE,
	}
	if m.Host.Source != nil {
		f.revision = m.Host.Source.Revision
	}
	for _, mod := range m.Modules {
		e := module{version: mod.Version, sum: mod.Sum}
		if mod.Replace != nil {
			e.replace = &module{version: mod.Replace.Version, sum: mod.Replace.Sum}
			e.replacePath = mod.Replace.Path
		}
		f.modules[mod.Path] = e
	}
	return f
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// normalizeTags sorts tags and drops empty and repeated ones: the order
// they were given in changes nothing.
func normalizeTags(tags []string) string {
	var out []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

// named is how a cause line names the host's own module: by its release
// tag beside the version Go records, which for a module path without the
// tag's major version is a pseudo-version nobody knows the release by.
func (f *facts) named() string {
	var parts []string
	if f.release != "" {
		parts = append(parts, f.release)
	}
	if f.revision != "" {
		parts = append(parts, "revision "+f.revision)
	}
	if f.mainVersion != "" && f.mainVersion != devel && f.mainVersion != f.release {
		parts = append(parts, "Go: "+f.mainVersion)
	}
	if len(parts) == 0 {
		return "its release"
	}
	if f.release == "" {
		return strings.Join(parts, ", ")
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return parts[0] + " (" + strings.Join(parts[1:], ", ") + ")"
}
