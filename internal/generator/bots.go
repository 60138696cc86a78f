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
func SharedModules(m *manifest.Manifest) []string {
	paths := []string{m.SDK.Module}
	for _, mod := range m.Modules {
		paths = append(paths, mod.Path)
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}
