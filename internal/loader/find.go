package loader

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Candidates returns those of the packages the host links that may look
// plugin symbols up, sorted: the packages that import package plugin,
// and the packages that import one of those (a loader behind the host's
// own Plugin interface calls Lookup where plugin is not imported). Only
// import declarations are read. Packages of modules that cannot be
// fetched are skipped, and the first such problem is returned beside.
func (s *Source) Candidates(ctx context.Context, linked []string) (found []string, problem error, err error) {
	var mods []Module
	seen := map[string]bool{}
	for _, p := range linked {
		if isStd(p) || s.inMain(p) {
			continue
		}
		if m, ok := s.mods.ModuleOf(p); ok && !seen[m.Path] {
			seen[m.Path] = true
			mods = append(mods, m)
		}
	}
	if err := s.mods.Fetch(ctx, mods); err != nil {
		return nil, nil, err
	}
	imports := map[string][]string{}
	for _, p := range linked {
		if isStd(p) || s.ofMain(p) && s.main.Dir == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		imps, err := s.Imports(p)
		if err != nil {
			if problem == nil {
				problem = fmt.Errorf("reading the imports of %s: %w", p, err)
			}
			continue
		}
		imports[p] = imps
	}
	direct := map[string]bool{}
	for p, imps := range imports {
		if slices.Contains(imps, "plugin") {
			direct[p] = true
			found = append(found, p)
		}
	}
	for p, imps := range imports {
		if direct[p] {
			continue
		}
		if slices.ContainsFunc(imps, func(i string) bool { return direct[i] }) {
			found = append(found, p)
		}
	}
	slices.Sort(found)
	return found, problem, nil
}

// inMain tells whether path is a package of the host's own module, when
// its source is at hand.
func (s *Source) inMain(path string) bool {
	return s.main.Dir != "" && s.ofMain(path)
}

// ofMain tells whether path is a package of the host's own module: one
// under its path that no module of the build list nested in it provides.
func (s *Source) ofMain(path string) bool {
	if s.main.Path == "" || !within(path, s.main.Path) {
		return false
	}
	m, ok := s.mods.ModuleOf(path)
	return !ok || len(m.Path) < len(s.main.Path)
}

// within tells whether the package at path is in the module at mod.
func within(path, mod string) bool {
	return path == mod || strings.HasPrefix(path, mod+"/")
}
