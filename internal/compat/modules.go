package compat

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// compareModules compares every module both sides list: its version, sum
// and replacement. A module the host took from source (a workspace or a
// directory replace) is named as such: no plugin can reproduce that build,
// so the fix is the host's.
func compareModules(h, p *facts) []Mismatch {
	var ms []Mismatch
	for _, path := range slices.Sorted(maps.Keys(p.modules)) {
		pm := p.modules[path]
		if path == h.mainModule {
			if m, ok := mainModuleMismatch(h, path, pm); ok {
				ms = append(ms, m)
			}
			continue
		}
		hm, ok := h.modules[path]
		if !ok || sameModule(hm, pm) || sameHostDirectory(h, p, hm, pm) {
			continue
		}
		// Sums say something only between equal versions.
		withSum := hm.version == pm.version && hm.replace == nil && pm.replace == nil
		ms = append(ms, Mismatch{
			What:   "module " + path,
			Host:   describe(hm, withSum),
			Plugin: describe(pm, withSum),
			Fix:    moduleFix(path, hm, pm, h.manifest),
		})
	}
	return ms
}

// sameModule tells whether two entries name the same content. A vendored
// build records no sums, and a manifest may lack them: a missing sum is
// not a difference.
func sameModule(h, p module) bool {
	if h.version != p.version || h.fromSource() || p.fromSource() {
		// Two builds from source agree only by chance: the hashes decide,
		// and this comparison names the module when they do not.
		return h.version == p.version && h.fromSource() && p.fromSource() &&
			h.replacePath == p.replacePath
	}
	if h.sum != "" && p.sum != "" && h.sum != p.sum {
		return false
	}
	if (h.replace == nil) != (p.replace == nil) {
		return false
	}
	if h.replace == nil {
		return true
	}
	return h.replacePath == p.replacePath && h.replace.version == p.replace.version &&
		(h.replace.sum == "" || p.replace.sum == "" || h.replace.sum == p.replace.sum)
}

// sameHostDirectory tells a directory replace in the host's own go.mod
// (./third_party/x) that a plugin built in a workspace with the host's
// source reaches through that source (./.host/REV/third_party/x): the same
// directory of the host's checkout, which is how such a host's plugins
// must build. The package hashes decide when there is a host binary.
func sameHostDirectory(h, p *facts, hm, pm module) bool {
	hostSrc, ok := p.modules[h.mainModule]
	if !ok || hostSrc.version != devel || hostSrc.replace != nil || hm.version != pm.version || !hm.fromSource() || !pm.fromSource() || hm.replace == nil || pm.replace == nil {
		return false
	}
	rel := path.Clean(hm.replacePath)
	if path.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") {
		return false
	}
	return strings.HasSuffix(path.Clean(pm.replacePath), "/"+rel)
}

// describe writes where a side took a module from.
func describe(m module, withSum bool) string {
	switch {
	case m.version == devel && m.replace == nil:
		return "(devel) from a workspace"
	case m.replace != nil && (m.replace.version == "" || m.replace.version == devel):
		return fmt.Sprintf("%s => %s (a directory replace)", m.version, m.replacePath)
	case m.replace != nil:
		return fmt.Sprintf("%s => %s %s", m.version, m.replacePath, m.replace.version)
	case withSum && m.sum != "":
		return m.version + " " + m.sum
	}
	return m.version
}

// moduleFix says how to make the plugin take path as the host does.
func moduleFix(path string, h, p module, manifest bool) string {
	// make get runs go get with the build's toolchain, proxy and checksum
	// settings; go get alone may reach another proxy, or none.
	get := fmt.Sprintf("make get MODULE=%s@%s (or go get %[1]s@%[2]s outside a scaffold repository)", path, h.version)
	switch {
	case h.fromSource():
		return fmt.Sprintf("the host must be built with %s as a published, versioned module (no go.work, no directory replace); a plugin cannot reproduce a build from source", path)
	case p.version == devel && p.replace == nil:
		return fmt.Sprintf("build the plugin without go.work (GOWORK=off) and pin %s to %s: %s", path, h.version, get)
	case h.replace != nil:
		return fmt.Sprintf("replace %s as the host does: go mod edit -replace=%s=%s@%s", path, path, h.replacePath, h.replace.version)
	case p.replace != nil:
		return fmt.Sprintf("drop the plugin's replace of %s and pin it to %s: go mod edit -dropreplace=%s && %s", path, h.version, path, get)
	case h.version != p.version:
		return fmt.Sprintf("pin %s to %s: %s", path, h.version, get)
	}
	where := "the host's module proxy"
	if manifest {
		where = "the module proxy the manifest names"
	}
	return fmt.Sprintf("the two builds downloaded different content for %s %s: fetch it from %s into a clean module cache, with checksum verification on", path, h.version, where)
}

// mainModuleMismatch checks a plugin that imports the host's own main
// module. Built as the main module, the host compiled it from its source
// tree as module-relative files; only a Go workspace holding the host's
// source at its release compiles them the same. A published version of
// the module, or a replace (even to the very checkout), compiles them as
// module@version files, and is refused.
func mainModuleMismatch(h *facts, path string, p module) (Mismatch, bool) {
	if p.version == devel && p.replace == nil {
		return Mismatch{}, false
	}
	fix := fmt.Sprintf("build the plugin in a Go workspace with the host's source at %s: make build does (go work init . && go work use PATH/TO/HOST)", h.named())
	if p.replace != nil {
		fix = fmt.Sprintf("drop the replace (go mod edit -dropreplace=%s -droprequire=%s) and %s", path, path, fix)
	}
	built := "built as the main module"
	if n := h.named(); n != "its release" {
		built += " at " + n
	}
	return Mismatch{
		What:   "module " + path + " (the host's main module)",
		Host:   built,
		Plugin: describe(p, false),
		Fix:    fix,
	}, true
}

// contentCauses explains differing packages when no setting or module
// version does: the same module at the same version compiled from other
// source, as when a vendored copy was edited.
func contentCauses(h, p *facts, differ []string, modCacheUnchecked bool) []Mismatch {
	byModule := map[string][]string{}
	for _, pkg := range differ {
		mod := p.moduleOf(pkg)
		byModule[mod] = append(byModule[mod], pkg)
	}
	var ms []Mismatch
	for _, mod := range slices.Sorted(maps.Keys(byModule)) {
		pkgs := ""
		switch l := byModule[mod]; {
		case len(l) > maxNamed:
			pkgs = fmt.Sprintf(" (%d packages: %s)", len(l), someOf(l))
		case len(l) > 1 || l[0] != mod:
			pkgs = " (" + strings.Join(l, ", ") + ")"
		}
		switch {
		case mod == "":
			ms = append(ms, Mismatch{
				What:   "standard library" + pkgs,
				Host:   h.goVersion,
				Plugin: p.goVersion + ", compiled differently",
				Fix:    "build both with an unmodified Go distribution of the same release",
			})
		case mod == h.mainModule:
			// The plugin took the host's module from a workspace, as it
			// must, but from other source than the release's.
			ms = append(ms, Mismatch{
				What:   "module " + mod + " (the host's main module)" + pkgs,
				Host:   "built as the main module at " + h.named(),
				Plugin: "compiled from other source in its workspace",
				Fix:    "use the host's source at " + h.named() + ", unedited, in the workspace: make build checks the revision (git -C HOST_SRC status shows edits)",
			})
		case p.vendored:
			v := p.modules[mod].version
			ms = append(ms, Mismatch{
				What:   "vendored module " + mod + pkgs,
				Host:   v + " from the module cache",
				Plugin: v + " from vendor/, edited",
				Fix:    "restore the vendored copy with go mod vendor, or build with -mod=mod",
			})
		case modCacheUnchecked:
			// Without -trimpath, the module cache's path, which could
			// not be read, is as likely a cause as the source.
			v := p.modules[mod].version
			ms = append(ms, Mismatch{
				What:   "module " + mod + pkgs,
				Host:   v,
				Plugin: v + ", compiled from other source or from a module cache at another path",
				Fix:    "build from the module cache path of the host's build (GOMODCACHE, which its manifest records) and from the published module: no edited copy, no replace of " + mod,
			})
		default:
			v := p.modules[mod].version
			ms = append(ms, Mismatch{
				What:   "module " + mod + pkgs,
				Host:   v,
				Plugin: v + ", compiled from other source",
				Fix:    "build both from the published module: no edited copy, no replace of " + mod,
			})
		}
	}
	return ms
}

// moduleOf returns the module a package belongs to: the longest module
// path that prefixes it, or "" for the standard library.
func (f *facts) moduleOf(pkg string) string {
	best := ""
	for _, path := range append(slices.Collect(maps.Keys(f.modules)), f.mainModule) {
		if path != "" && (pkg == path || strings.HasPrefix(pkg, path+"/")) && len(path) > len(best) {
			best = path
		}
	}
	return best
}

func vendoredWarning() Mismatch {
	return Mismatch{
		What:   "module sources",
		Host:   "published modules",
		Plugin: "vendor/ (build info records no sums)",
		Fix:    "an edited vendored copy cannot be seen from build info: check against the host binary (--host), or build with -mod=mod",
	}
}
