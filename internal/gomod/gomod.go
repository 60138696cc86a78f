// Package gomod writes and reads a plugin's go.mod as data, with
// golang.org/x/mod/modfile, never as text: the go and toolchain lines, the
// SDK and the host's module versions are values to set, not lines to patch.
package gomod

import (
	"fmt"
	"sort"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/versions"
)

// New writes the go.mod of a new plugin module: the host's Go release, the
// plugin's own requirements, and the host's modules as [PinHost] requires
// them.
func New(modPath string, m *manifest.Manifest, own []module.Version) ([]byte, error) {
	f := new(modfile.File)
	if err := f.AddModuleStmt(modPath); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if err := f.AddGoStmt(versions.GoLine(m.Go)); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if err := f.AddToolchainStmt(m.Go); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if err := requireAll(f, own); err != nil {
		return nil, err
	}
	if err := PinHost(f, m); err != nil {
		return nil, err
	}
	f.Cleanup()
	return f.Format()
}

// PinHost requires the SDK at the host's version and every other module
// of the host's build list at the host's version, but those the host took
// from a directory, and adds the host's module-to-module replacements.
// Modules the plugin does not use are pruned later by go mod tidy, which
// keeps the versions of the ones it does: pinning all of them first means
// no shared module can be resolved below the host's version.
//
// When the SDK is the host's own module, the plugin reaches it and the
// host's replacements through a workspace, so neither is written.
func PinHost(f *modfile.File, m *manifest.Manifest) error {
	if err := requireAll(f, HostModules(m)); err != nil {
		return err
	}
	return addReplaces(f, m)
}

// MoveHost is [PinHost] for a go.mod the go command has completed, when
// it cannot run again: the SDK and the host's modules f already requires
// are set to the host's versions, their // indirect markers kept, and
// none is added but the SDK, so that go.mod holds no requirement the
// plugin does not need. make tidy adds what a new release needs besides.
func MoveHost(f *modfile.File, m *manifest.Manifest) error {
	have := map[string]bool{}
	for _, r := range f.Require {
		have[r.Mod.Path] = true
	}
	var reqs []module.Version
	for _, r := range HostModules(m) {
		if have[r.Path] || r.Path == m.SDK.Module {
			reqs = append(reqs, r)
		}
	}
	// AddRequire sets the version of a requirement in place, comments
	// and all.
	if err := requireAll(f, reqs); err != nil {
		return err
	}
	return addReplaces(f, m)
}

// addReplaces adds the host's module-to-module replacements, but where the
// SDK is the host's own module: the plugin then reaches them through a
// workspace.
func addReplaces(f *modfile.File, m *manifest.Manifest) error {
	if m.SDKIsHost() {
		return nil
	}
	var reps []modfile.Replace
	for _, mod := range m.Modules {
		r := mod.Replace
		if r == nil || r.Version == "" {
			continue
		}
		reps = append(reps, modfile.Replace{Old: module.Version{Path: mod.Path}, New: module.Version{Path: r.Path, Version: r.Version}})
	}
	return replaceAll(f, reps)
}

// requireAll requires each of reqs in f as modfile's AddRequire does, the
// last of a path winning, in time linear in f's requirements and reqs:
// AddRequire looks through every requirement of f for the one it sets,
// and a host of 70,000 modules took minutes. Each AddRequire is shown
// only the requirements of its own path.
func requireAll(f *modfile.File, reqs []module.Version) error {
	all := f.Require
	byPath := make(map[string][]*modfile.Require, len(all))
	for _, r := range all {
		byPath[r.Mod.Path] = append(byPath[r.Mod.Path], r)
	}
	defer func() { f.Require = all }()
	for _, r := range reqs {
		have := byPath[r.Path]
		f.Require = have[:len(have):len(have)]
		if err := f.AddRequire(r.Path, r.Version); err != nil {
			return fmt.Errorf("go.mod: %w", err)
		}
		if len(f.Require) > len(have) {
			all = append(all, f.Require[len(have):]...)
		}
		byPath[r.Path] = f.Require
	}
	return nil
}

// replaceAll adds each of reps to f as modfile's AddReplace does, in time
// linear in f's replacements and reps, as [requireAll] does. A path f does
// not replace yet gets a replace line of its own at the file's end, as
// AddReplace gives it, but without looking through every line of the file
// first, as AddReplace does.
func replaceAll(f *modfile.File, reps []modfile.Replace) error {
	all := f.Replace
	byPath := make(map[string][]*modfile.Replace, len(all))
	for _, r := range all {
		byPath[r.Old.Path] = append(byPath[r.Old.Path], r)
	}
	defer func() { f.Replace = all }()
	for _, r := range reps {
		have := byPath[r.Old.Path]
		if len(have) == 0 {
			line := &modfile.Line{Token: append([]string{"replace"}, replaceTokens(r)...)}
			f.Syntax.Stmt = append(f.Syntax.Stmt, line)
			rep := &modfile.Replace{Old: r.Old, New: r.New, Syntax: line}
			all = append(all, rep)
			byPath[r.Old.Path] = []*modfile.Replace{rep}
			continue
		}
		f.Replace = have[:len(have):len(have)]
		if err := f.AddReplace(r.Old.Path, r.Old.Version, r.New.Path, r.New.Version); err != nil {
			return fmt.Errorf("go.mod: %w", err)
		}
		if len(f.Replace) > len(have) {
			all = append(all, f.Replace[len(have):]...)
		}
		byPath[r.Old.Path] = f.Replace
	}
	return nil
}

// replaceTokens are the tokens of a replace line after its verb, as
// AddReplace writes them.
func replaceTokens(r modfile.Replace) []string {
	tokens := []string{modfile.AutoQuote(r.Old.Path)}
	if r.Old.Version != "" {
		tokens = append(tokens, r.Old.Version)
	}
	tokens = append(tokens, "=>", modfile.AutoQuote(r.New.Path))
	if r.New.Version != "" {
		tokens = append(tokens, r.New.Version)
	}
	return tokens
}

// HostModules are the modules a plugin of the host may require, at the
// host's versions, sorted by path: the SDK and the host's build list, but
// the host's own module and those it took from a directory.
func HostModules(m *manifest.Manifest) []module.Version {
	var reqs []module.Version
	if !m.SDKIsHost() {
		reqs = append(reqs, module.Version{Path: m.SDK.Module, Version: m.SDK.Version})
	}
	for _, mod := range m.Modules {
		if !isDirReplace(mod) && mod.Path != m.SDK.Module {
			reqs = append(reqs, module.Version{Path: mod.Path, Version: mod.Version})
		}
	}
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].Path < reqs[j].Path })
	return reqs
}

// Pins lists the modules a plugin of the host may share with it, as
// path@version: the versions its build must keep.
func Pins(m *manifest.Manifest) []string {
	var out []string
	for _, r := range HostModules(m) {
		out = append(out, r.Path+"@"+r.Version)
	}
	return out
}

// isDirReplace tells whether the host took mod from a directory: no one
// else can fetch it, so a plugin cannot require it.
func isDirReplace(mod manifest.Module) bool {
	return mod.Replace != nil && mod.Replace.Version == ""
}

// Require returns go.mod data with each of reqs required at its version.
func Require(data []byte, reqs ...module.Version) ([]byte, error) {
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, err
	}
	if err := requireAll(f, reqs); err != nil {
		return nil, err
	}
	f.Cleanup()
	return f.Format()
}
