package release

import (
	"fmt"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// modCache returns the module cache path plugins must build from: the
// one the binary's file table shows, for a host built without -trimpath
// that compiled packages from the module cache. given is the path the
// maintainer states; it is needed only when the binary cannot tell (its
// module packages left no source file in it), and must agree when it can.
// A host whose path cannot be told and is not given is refused: a
// manifest without it lets plugins build that the host refuses.
func modCache(bin *artifact.File, given string) (string, error) {
	if given != "" {
		if err := manifest.CheckModCache(given, false); err != nil {
			return "", fmt.Errorf("--gomodcache: %w", err)
		}
	}
	if bin.Setting("-trimpath") == "true" {
		if given != "" {
			return "", fmt.Errorf("--gomodcache: the binary was built with -trimpath, which keeps the module cache's path out of the build; leave it out")
		}
		return "", nil
	}
	switch {
	case bin.ModCacheErr != nil && given == "":
		return "", fmt.Errorf("the binary was built without -trimpath, so its module cache's path is part of its packages' hashes, and %w: give --gomodcache with the GOMODCACHE of the release build, or build the release with -trimpath", bin.ModCacheErr)
	case bin.ModCacheErr != nil:
		return given, nil
	case given != "" && bin.ModCache != "" && given != bin.ModCache:
		return "", fmt.Errorf("--gomodcache: %s, but the binary was built from the module cache %s", given, bin.ModCache)
	case given != "" && bin.ModCache == "":
		return "", fmt.Errorf("--gomodcache: the binary compiled no package from the module cache; leave it out")
	}
	return bin.ModCache, nil
}

// untrimmedHostModule refuses a host whose plugins import its own main
// module when it was built without -trimpath. Measured: such a host
// compiles its source directory's absolute path into those packages, and
// refuses a plugin built against the same revision checked out anywhere
// else ("different version of package" of the first shared one). A
// plugin's build cannot be held to a directory on the host's build
// machine, so no manifest is written that promises plugins would load.
func untrimmedHostModule(m *manifest.Manifest, bin *artifact.File) error {
	if !m.SDKIsHost() || bin.Setting("-trimpath") == "true" {
		return nil
	}
	return fmt.Errorf("the binary was built without -trimpath, and its plugins import its own module %s: the path of the directory it was built in is part of those packages' hashes, so plugins built against a checkout anywhere else are refused; build the release with -trimpath", m.Host.Module)
}
