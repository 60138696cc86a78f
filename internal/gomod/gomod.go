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
	for _, r := range own {
		if err := f.AddRequire(r.Path, r.Version); err != nil {
			return nil, fmt.Errorf("go.mod: %w", err)
		}
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
	for _, r := range hostModules(m) {
		if err := f.AddRequire(r.Path, r.Version); err != nil {
			return fmt.Errorf("go.mod: %w", err)
		}
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
	for _, mod := range m.Modules {
		r := mod.Replace
		if r == nil || r.Version == "" {
			continue
		}
		if err := f.AddReplace(mod.Path, "", r.Path, r.Version); err != nil {
			return fmt.Errorf("go.mod: %w", err)
		}
	}
	return nil
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
	for _, r := range hostModules(m) {
		if !have[r.Path] && r.Path != m.SDK.Module {
			continue
		}
		// AddRequire sets the version of a requirement in place,
		// comments and all.
		if err := f.AddRequire(r.Path, r.Version); err != nil {
			return fmt.Errorf("go.mod: %w", err)
		}
	}
	return addReplaces(f, m)
}

// hostModules are the modules a plugin of the host may require, at the
// host's versions, sorted by path: the SDK and the host's build list, but
// the host's own module and those it took from a directory.
func hostModules(m *manifest.Manifest) []module.Version {
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
	for _, r := range hostModules(m) {
		out = append(out, r.Path+"@"+r.Version)
	}
	return out
}

// isDirReplace tells whether the host took mod from a directory: no one
// else can fetch it, so a plugin cannot require it.
func isDirReplace(mod manifest.Module) bool {
	return mod.Replace != nil && mod.Replace.Version == ""
}

// Require returns go.mod data with path required at version.
func Require(data []byte, path, version string) ([]byte, error) {
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, err
	}
	if err := f.AddRequire(path, version); err != nil {
		return nil, err
	}
	f.Cleanup()
	return f.Format()
}
