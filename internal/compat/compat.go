// Package compat says whether a plugin will load into a host, and why not.
//
// Against a host binary the verdict is the runtime's own: plugin.Open
// compares one hash per package for every package the host and the plugin
// both link, and refuses the plugin at the first that differs. compat
// compares them all, so every differing package is named, not just the
// first. What made them differ is read from both files' build info and ELF
// headers: the Go release, build flags, platform, libc, and the version and
// origin of every module the two share.
//
// A few differences stop a plugin whatever the hashes say: another libc or
// platform (the dynamic loader refuses the file) and a symbol the host looks
// up that the plugin does not export. A glibc plugin in a musl host is the
// exception among libcs: musl's loader takes it, and it is a warning. The others matter only through the
// packages they change: when every shared package compiled the same, the
// plugin loads, and they are reported as warnings.
//
// Against a manifest alone there are no hashes to compare, so every
// difference from what the manifest records counts.
package compat

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A Target is what a plugin is checked against.
type Target struct {
	// Host is the host binary; nil to check against Manifest alone.
	Host *artifact.File
	// Manifest is the host's release manifest. Next to a host binary it
	// supplies only the contract, the symbols the host looks up.
	Manifest *manifest.Manifest
	// Handlers are the names a handlers contract's host is configured
	// with, as a generated repository's lock records them.
	Handlers []string
	// Tags are the build tags the plugin builds with beyond the host's:
	// in a repository built for several host releases, its release's own,
	// which select among the plugin's files and no package the host
	// links (see package target).
	Tags []string
}

// A Report is the verdict on one plugin, and its causes.
type Report struct {
	Plugin     string `json:"plugin"`
	Compatible bool   `json:"compatible"`
	// SharedPackages counts the packages the host and the plugin both
	// link; zero against a manifest alone.
	SharedPackages int `json:"sharedPackages,omitempty"`
	// DifferentPackages are the shared packages whose hashes differ,
	// sorted: each one alone makes plugin.Open fail.
	DifferentPackages []string `json:"differentPackages,omitempty"`
	// Mismatches are the differences that stop the plugin loading, in a
	// fixed order: toolchain, build settings, libc, modules, symbols.
	Mismatches []Mismatch `json:"mismatches,omitempty"`
	// Warnings are differences that do not stop it: none of the shared
	// packages compiled differently because of them.
	Warnings []Mismatch `json:"warnings,omitempty"`
	// MissingSymbols are the names the host looks up that the plugin does
	// not export; each has its line among Mismatches too.
	MissingSymbols []string `json:"missingSymbols,omitempty"`
	// Unchecked says what the verdict did not take into account, and how
	// to have it checked, as its caller knows: against a host binary
	// alone, the symbols the host looks up and their types, which only
	// its manifest records.
	Unchecked []string `json:"unchecked,omitempty"`
}

// A Mismatch is one difference between the host (or its manifest) and the
// plugin, with what to do about it.
type Mismatch struct {
	// What names the setting, module or symbol.
	What   string `json:"what"`
	Host   string `json:"host"`
	Plugin string `json:"plugin"`
	// Fix says how to change the plugin build, or, when the plugin cannot
	// make up for it, the host build.
	Fix string `json:"fix"`
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: host %s, plugin %s: %s", m.What, m.Host, m.Plugin, m.Fix)
}

// Check compares a plugin with t. The plugin must be a Go plugin, and a
// host binary one that can load plugins (see [artifact.File.CheckPlugin]
// and [artifact.File.CheckHost]).
func Check(t Target, plugin *artifact.File) *Report {
	r := &Report{Plugin: plugin.Path}
	p := fromFile(plugin)
	var h *facts
	hashesDiffer := false
	if t.Host != nil {
		h = fromFile(t.Host)
		r.SharedPackages, r.DifferentPackages = comparePackages(t.Host, plugin)
		hashesDiffer = len(r.DifferentPackages) > 0
	} else {
		h = fromManifest(t.Manifest)
	}
	if len(t.Tags) > 0 {
		h.settings["-tags"] = normalizeTags(slices.Concat(strings.Split(h.settings["-tags"], ","), t.Tags))
	}
	if m := t.Manifest; t.Host != nil && m != nil && m.Host.Module == h.mainModule {
		// The binary records Go's version of its own module; the
		// manifest knows the release by its tag.
		h.release = m.Host.Version
		if m.Host.Source != nil {
			h.revision = m.Host.Source.Revision
		}
	}

	// Differences that stop a plugin at the dynamic loader, before any
	// hash is compared.
	var always []Mismatch
	always = append(always, compareSettings(h, p, platformSettings)...)
	libcRefused, libcWarned := compareLibc(h, p)
	always = append(always, libcRefused...)
	// Differences that matter through the packages they change; against a
	// manifest every one counts.
	var through []Mismatch
	through = append(through, compareGo(h, p)...)
	through = append(through, compareSettings(h, p, compileSettings)...)
	modCache, unchecked := compareModCache(h, p)
	through = append(through, modCache...)
	through = append(through, compareModules(h, p)...)

	r.Mismatches = append(r.Mismatches, always...)
	r.Warnings = append(r.Warnings, libcWarned...)
	r.Warnings = append(r.Warnings, unchecked...)
	if t.Host == nil || hashesDiffer {
		r.Mismatches = append(r.Mismatches, through...)
	} else {
		r.Warnings = append(r.Warnings, through...)
	}
	if t.Host == nil && p.vendored {
		r.Warnings = append(r.Warnings, vendoredWarning())
	}
	if hashesDiffer && len(r.Mismatches) == 0 {
		r.Mismatches = append(r.Mismatches, contentCauses(h, p, r.DifferentPackages, len(unchecked) > 0)...)
	}
	if t.Host != nil && t.Manifest == nil {
		if w, ok := foreignWarning(h, p); ok {
			r.Warnings = append(r.Warnings, w)
		}
	}
	if t.Manifest != nil {
		missing, ms := compareSymbols(&t.Manifest.Contract, t.Handlers, plugin)
		r.MissingSymbols = missing
		r.Mismatches = append(r.Mismatches, ms...)
		r.Mismatches = append(r.Mismatches, compareTypes(&t.Manifest.Contract, t.Handlers, plugin)...)
	}
	r.Compatible = len(r.DifferentPackages) == 0 && len(r.Mismatches) == 0
	return r
}

// comparePackages compares the hash of every package both files link.
func comparePackages(host, plugin *artifact.File) (shared int, differ []string) {
	for pkg, ph := range plugin.PkgHashes {
		hh, ok := host.PkgHashes[pkg]
		if !ok {
			continue
		}
		shared++
		if hh != ph {
			differ = append(differ, pkg)
		}
	}
	slices.Sort(differ)
	return shared, differ
}

// A lookup is a name the host looks up in every plugin, and what it
// expects to find there.
type lookup struct {
	name, typ string
	function  bool
}

// lookups lists what the contract's host looks up: the interface
// variable, the constructor, the required symbols, and the handlers a
// generated plugin was given.
func lookups(k *manifest.Contract, handlers []string) []lookup {
	var out []lookup
	switch k.Kind {
	case manifest.KindInterfaceVariable:
		out = append(out, lookup{k.Symbol, k.ImportName(k.Package) + "." + k.Interface, false})
	case manifest.KindConstructor:
		if k.Constructor != nil {
			out = append(out, lookup{k.Constructor.Name, k.Constructor.Signature, true})
		}
	case manifest.KindSymbols:
		for _, s := range k.Symbols {
			if s.Required {
				out = append(out, lookup{s.Name, s.Type, s.IsFunc()})
			}
		}
	case manifest.KindHandlers:
		if k.Handler == nil {
			break
		}
		for _, h := range handlers {
			out = append(out, lookup{h, k.Handler.Type, true})
		}
	}
	return out
}

// compareSymbols checks that the plugin exports every name the host looks
// up, as the kind of symbol the contract says: a variable or a function.
func compareSymbols(k *manifest.Contract, handlers []string, plugin *artifact.File) (missing []string, ms []Mismatch) {
	for _, l := range lookups(k, handlers) {
		what, decl := "variable", fmt.Sprintf("var %s %s = ...", l.name, l.typ)
		if l.function {
			what, decl = "function", fmt.Sprintf("func %s%s", l.name, strings.TrimPrefix(l.typ, "func"))
		}
		kind, ok := plugin.Exports[l.name]
		switch {
		case !ok:
			missing = append(missing, l.name)
			ms = append(ms, Mismatch{
				What:   "symbol " + l.name,
				Host:   "looks it up",
				Plugin: "does not export it",
				Fix:    "declare it in the plugin's package main: " + decl,
			})
		case (kind == stObject) == l.function:
			have := "a function"
			if kind == stObject {
				have = "a variable"
			}
			ms = append(ms, Mismatch{
				What:   "symbol " + l.name,
				Host:   fmt.Sprintf("looks up a %s of type %s", what, l.typ),
				Plugin: "exports " + have,
				Fix:    fmt.Sprintf("make it a %s: %s", what, decl),
			})
		}
	}
	return missing, ms
}

// show writes a value for a mismatch line: "none" for nothing, quoted when
// it holds spaces.
func show(v string) string {
	switch {
	case v == "":
		return "none"
	case strings.ContainsAny(v, " \t"):
		return fmt.Sprintf("%q", v)
	}
	return v
}
