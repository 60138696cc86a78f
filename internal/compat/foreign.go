package compat

import (
	"maps"
	"slices"
)

// foreignWarning warns, against a host binary alone, about a plugin that
// links modules but none the host links: most likely one made for another
// host. plugin.Open may well load it (the packages the two share are the
// standard library's), and the verdict stays the loader's, but the host's
// lookups will not find what it looks for; only its release manifest says
// what that is.
func foreignWarning(h, p *facts) (Mismatch, bool) {
	if len(p.modules) == 0 {
		// Only the standard library: nothing tells whose plugin it is.
		return Mismatch{}, false
	}
	for path := range p.modules {
		if _, ok := h.modules[path]; ok || path == h.mainModule {
			return Mismatch{}, false
		}
	}
	return Mismatch{
		What:   "modules the plugin links",
		Host:   "none of them",
		Plugin: someOf(slices.Sorted(maps.Keys(p.modules))),
		Fix:    "the plugin may be made for another host: check it against this host's release manifest too (--manifest), which names the symbols the host looks up",
	}, true
}
