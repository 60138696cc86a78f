package compat

import "fmt"

// compareModCache compares the module caches two builds without -trimpath
// compiled their modules from. Without -trimpath every source file's path
// is compiled into its package, so a module taken from a module cache at
// another path compiles to another hash: measured, the host refuses such a
// plugin as "a different version of package" of the first shared module,
// though every version and flag agrees. A -trimpath difference is named by
// its own line; a side that compiled no module package has no path to
// compare.
//
// A side whose path cannot be read leaves the paths not checked, which is
// said as a warning, never a cause: it is no difference found, and against
// the host binary the package hashes decide whatever the paths.
func compareModCache(h, p *facts) (ms, unchecked []Mismatch) {
	if h.settings["-trimpath"] == "on" || p.settings["-trimpath"] == "on" {
		return nil, nil
	}
	hv, pv := h.modCache, p.modCache
	if (hv == "" && h.modCacheErr == nil) || (pv == "" && p.modCacheErr == nil) || (hv == pv && hv != "") {
		return nil, nil
	}
	const what = "GOMODCACHE"
	why := "the host was built without -trimpath, so the module cache's path is compiled into every package of a module"
	switch {
	case h.modCacheErr != nil:
		return nil, []Mismatch{{
			What:   what,
			Host:   "unknown",
			Plugin: show(pv),
			Fix:    fmt.Sprintf("not checked: the host binary does not show the module cache it was built from (%v); %s: build with the GOMODCACHE of the host's release build, as its manifest records it, or build the host with -trimpath", h.modCacheErr, why),
		}}
	case p.modCacheErr != nil:
		fix := fmt.Sprintf("not checked: the plugin does not show the module cache it was built from (%v); %s: build it with GOMODCACHE=%s (make build does)", p.modCacheErr, why, hv)
		if h.manifest {
			fix += ", and check it against the host binary (--host), whose package hashes tell"
		}
		return nil, []Mismatch{{What: what, Host: hv, Plugin: "unknown", Fix: fix}}
	}
	return []Mismatch{{
		What:   what,
		Host:   hv,
		Plugin: pv,
		Fix:    fmt.Sprintf("build with GOMODCACHE=%s (make build sets it from the manifest): %s; or build host and plugins with -trimpath", hv, why),
	}}, nil
}
