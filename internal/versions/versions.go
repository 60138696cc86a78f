// Package versions compares Go releases and module versions the way the
// plugin loader does: exactly. A plugin may share no module with its host at
// a version other than the host's, and must be built by the host's own
// patch release.
package versions

import (
	"fmt"
	"go/version"
	"sort"
	"strings"

	"golang.org/x/mod/semver"
)

// GoLine is the go.mod "go" line for a plugin built by release goVersion
// ("go1.26.8" gives "1.26.0"): the language version, written as the first
// release of it, so that the toolchain line alone names the exact release.
func GoLine(goVersion string) string {
	lang := strings.TrimPrefix(version.Lang(goVersion), "go")
	rest := strings.TrimPrefix(goVersion, "go"+lang)
	if rest == "" || strings.HasPrefix(rest, ".") {
		return lang + ".0"
	}
	// A pre-release (go1.27rc1) comes before go1.27.0, so it is its own
	// go line.
	return strings.TrimPrefix(goVersion, "go")
}

// A Conflict is a module the plugin would build at a version other than
// the host's.
type Conflict struct {
	Path   string
	Host   string // the host's version
	Plugin string // the version the plugin would use
	// By names the requirement that raised the plugin's version, when known.
	By string
}

// Raised tells whether the plugin's version is above the host's. A plugin
// can only be brought down to the host's version by changing its own
// requirements; one below is fixed by requiring the host's version.
func (c Conflict) Raised() bool {
	return semver.Compare(c.Plugin, c.Host) > 0
}

func (c Conflict) String() string {
	by := ""
	if c.By != "" {
		by = " (required by " + c.By + ")"
	}
	if c.Raised() && c.By != "" {
		// Raised by other modules' requirements, not the plugin's own:
		// lowering "the requirement" is done by taking other versions of
		// those modules.
		var mods []string
		for _, m := range strings.Split(c.By, ", ") {
			path, _, _ := strings.Cut(m, "@")
			mods = append(mods, path)
		}
		which := "a version of " + mods[0] + " that needs"
		if len(mods) > 1 {
			which = "versions of " + strings.Join(mods, " and ") + " that need"
		}
		return fmt.Sprintf("%s %s%s is above the host's %s: the host would refuse the plugin; require %s %s %s or lower", c.Path, c.Plugin, by, c.Host, which, c.Path, c.Host)
	}
	if c.Raised() {
		return fmt.Sprintf("%s %s%s is above the host's %s: the host would refuse the plugin; lower the requirement to %s", c.Path, c.Plugin, by, c.Host, c.Host)
	}
	return fmt.Sprintf("%s %s%s is below the host's %s: require %s %s", c.Path, c.Plugin, by, c.Host, c.Path, c.Host)
}

// Compare returns every module in plugin (path → version) whose version
// differs from host's, sorted by path.
func Compare(host, plugin map[string]string) []Conflict {
	var out []Conflict
	for path, pv := range plugin {
		hv, ok := host[path]
		if ok && hv != pv {
			out = append(out, Conflict{Path: path, Host: hv, Plugin: pv})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
