package generator

import (
	"slices"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// SharedModules lists, sorted, the paths of the modules a host shares with
// its plugins: the SDK and every module of the host's build. The generated
// Renovate and Dependabot configurations leave each of them alone, since a
// plugin that builds one at another version than the host is refused by
// plugin.Open; scaffold upgrade moves them with the host instead.
//
// Given several releases of a host, it lists what any of them shares.
func SharedModules(ms ...*manifest.Manifest) []string {
	var paths []string
	for _, m := range ms {
		paths = append(paths, m.SDK.Module)
		for _, mod := range m.Modules {
			paths = append(paths, mod.Path)
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}
