package main

import (
	"debug/buildinfo"
	"fmt"
	"io"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/compat"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// otherRelease tells when an incompatible plugin was built for another
// release of the host rather than built wrong: it takes the SDK at
// another version than this release, or differs in more than one module
// the host builds, or in its Go release too. Then the fix is not a go get
// per module but moving the plugin's repository to the release, which
// scaffold upgrade does (flags, Go release and contract included). One
// module of the host's other than the SDK at another version, and nothing
// else, is a pin gone wrong (a go get, a dependency's go.mod), whose cause
// line says how to pin it back. It returns the module that tells, with
// both versions.
//
// The host binary decides when it is given. A lock file is not a release
// to compare with: it holds the release the repository was generated for,
// and a plugin that differs from it drifted rather than followed another
// release.
func otherRelease(t compat.Target, fromLock bool, plugin *buildinfo.BuildInfo) (path, hostVersion, pluginVersion string, ok bool) {
	if plugin == nil {
		return "", "", "", false
	}
	want := map[string]string{}
	var order []string
	switch {
	case t.Host != nil && t.Host.Build != nil:
		for _, d := range t.Host.Build.Deps {
			want[d.Path] = d.Version
			order = append(order, d.Path)
		}
	case t.Manifest != nil && !fromLock:
		if v := t.Manifest.SDK.Version; v != "" {
			want[t.Manifest.SDK.Module] = v
			order = append(order, t.Manifest.SDK.Module)
		}
		for _, m := range t.Manifest.Modules {
			if _, seen := want[m.Path]; !seen {
				want[m.Path] = m.Version
				order = append(order, m.Path)
			}
		}
	}
	have := map[string]string{}
	for _, d := range plugin.Deps {
		have[d.Path] = d.Version
	}
	var differ []string
	for _, p := range order {
		if hv, ok := have[p]; ok && hv != want[p] && want[p] != "" && want[p] != "(devel)" && hv != "(devel)" {
			differ = append(differ, p)
		}
	}
	if len(differ) == 0 {
		return "", "", "", false
	}
	goVersion := ""
	if t.Host != nil && t.Host.Build != nil {
		goVersion = t.Host.Build.GoVersion
	} else if t.Manifest != nil {
		goVersion = t.Manifest.Go
	}
	sdk := ""
	if t.Manifest != nil {
		sdk = t.Manifest.SDK.Module
	}
	if len(differ) == 1 && differ[0] != sdk && (goVersion == "" || plugin.GoVersion == goVersion) {
		return "", "", "", false
	}
	p := differ[0]
	return p, want[p], have[p], true
}

// writeReleaseAdvice adds to an incompatible plugin's report the command
// that moves its repository to the host's release.
func writeReleaseAdvice(w io.Writer, t compat.Target, manifestRef string, plugin *buildinfo.BuildInfo) error {
	fromLock := isLockFile(manifestRef)
	path, hv, pv, ok := otherRelease(t, fromLock, plugin)
	if !ok {
		return nil
	}
	// The manifest names the release to move to only when it is the
	// host's: beside a binary of another release of the same host, it
	// would send the plugin to the manifest's release, not the binary's.
	release, ref := "the host's release", "MANIFEST"
	if m := t.Manifest; m != nil && !fromLock && manifestVersion(m, path) == hv {
		release, ref = m.Host.Name+" "+m.Host.Version, manifestRef
	}
	_, err := fmt.Fprintf(w, "  the plugin was built for another release (%s %s, not %s): move its repository to %s with scaffold upgrade --manifest %s, then rebuild\n",
		path, pv, hv, release, ref)
	return err
}

// manifestVersion is the version of module path the manifest records, or
// "".
func manifestVersion(m *manifest.Manifest, path string) string {
	if path == m.SDK.Module {
		return m.SDK.Version
	}
	if mod := m.Module(path); mod != nil {
		return mod.Version
	}
	return ""
}

// writeTargetAdvice adds to the report of a plugin of a repository built
// for several releases, which a host binary refuses, which of the
// repository's builds is that host's: the host's release is the one whose
// Go release and module versions its build info records. The plugin is
// the build for release built.
func writeTargetAdvice(w io.Writer, host *artifact.File, releases []*manifest.Manifest, built *manifest.Manifest) error {
	if host.Build == nil {
		return nil
	}
	var err error
	switch match, merr := releaseOf(host.Build, releases); {
	case merr != nil:
		_, err = fmt.Fprintf(w, "  the host %v\n", merr)
	case match != built:
		_, err = fmt.Fprintf(w, "  the plugin is the build for %s %s, and the host is %s %s, which the repository builds for too: give it that build (make build RELEASE=%s)\n", built.Host.Name, built.Host.Version, match.Host.Name, match.Host.Version, match.Host.Version)
	}
	return err
}

// hostIsRelease tells whether a host binary's build info records release
// m's Go release and module versions.
func hostIsRelease(b *buildinfo.BuildInfo, m *manifest.Manifest) bool {
	if b.GoVersion != m.Go {
		return false
	}
	deps := map[string]string{}
	for _, d := range b.Deps {
		deps[d.Path] = d.Version
	}
	if v, ok := deps[m.SDK.Module]; ok && v != m.SDK.Version {
		return false
	}
	for _, mod := range m.Modules {
		if v, ok := deps[mod.Path]; ok && v != mod.Version {
			return false
		}
	}
	return true
}
