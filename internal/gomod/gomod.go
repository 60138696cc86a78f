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
// SDK at the host's version, the plugin's own requirements, and every other
// module of the host's build list at the host's version (but those the
// host took from a directory). Modules the plugin
// does not use are pruned later by go mod tidy, which keeps the versions of
// the ones it does; pinning all of them first means no shared module can be
// resolved below the host's version.
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
	reqs := map[string]string{}
	if !m.SDKIsHost() {
		// A host's own module is reached through a workspace, never
		// required.
		reqs[m.SDK.Module] = m.SDK.Version
	}
	for _, r := range own {
		reqs[r.Path] = r.Version
	}
	for _, mod := range m.Modules {
		if _, ok := reqs[mod.Path]; !ok && !isDirReplace(mod) {
			reqs[mod.Path] = mod.Version
		}
	}
	paths := make([]string, 0, len(reqs))
	for p := range reqs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := f.AddRequire(p, reqs[p]); err != nil {
			return nil, fmt.Errorf("go.mod: %w", err)
		}
	}
	if err := addReplaces(f, m); err != nil {
		return nil, err
	}
	f.Cleanup()
	return f.Format()
}

// addReplaces copies the host's module-to-module replacements: a plugin
// that shares a replaced module must take it from the same replacement.
// Replacements by a local directory cannot be reproduced elsewhere and are
// left out.
func addReplaces(f *modfile.File, m *manifest.Manifest) error {
	if m.SDKIsHost() {
		return nil // the workspace applies the host's own replacements
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

// isDirReplace tells whether the host took mod from a directory: no one
// else can fetch it, so a plugin cannot require it.
func isDirReplace(mod manifest.Module) bool {
	return mod.Replace != nil && mod.Replace.Version == ""
}

// Requirements returns the requirements of go.mod data.
func Requirements(data []byte) ([]module.Version, error) {
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return nil, err
	}
	var out []module.Version
	for _, r := range f.Require {
		out = append(out, r.Mod)
	}
	return out, nil
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
