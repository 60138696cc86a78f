// Package target describes the host releases one plugin repository is
// built for, and how their differences are kept apart in one source tree.
//
// A plugin loads only into the host release it was built for, so a
// repository serving several releases builds once per release, each time
// with that release's Go toolchain, flags and module versions. The model:
//
//   - The newest release builds as a plain module: go.mod, go.sum, and no
//     build tag of its own, so that the go command, editors and linters
//     see the newest release without being told anything.
//   - Every other release has its own module file, releases/VERSION/go.mod
//     (with go.sum beside it), given to the go command with -modfile, and
//     its own build tag, host_version (gateway_v0.9.0), added to the
//     host's tags.
//   - Code that is the same for every release is untagged. Where the
//     releases' contracts differ, the differing declarations live in files
//     whose //go:build line selects the releases they serve: a tag, or an
//     "or" of tags, for older releases; for a set that holds the newest,
//     the negation of the other releases' tags, which the newest's
//     untagged build satisfies.
//
// A tag only selects among the plugin's own files: no package of a host
// uses it, so every package the host and the plugin share compiles the
// same with it or without it, and plugin.Open, which compares those
// packages' hashes, takes the plugin (measured, and proved end to end by
// loading a tagged plugin into a host built without the tag).
package target

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// Dir is the directory holding the module files of the releases other
// than the newest.
const Dir = "releases"

// A List is the host releases a plugin repository is built for, by
// version, oldest first.
type List struct {
	// Host is the host's name.
	Host string
	// Versions are the releases' host versions, oldest first.
	Versions []string
}

// Sort orders manifests of one host's releases oldest first, and checks
// that they can share a repository: one host (by name and module), each
// release once, versions that order (semantic versions), and build tags
// that tell them apart.
func Sort(ms []*manifest.Manifest) error {
	if len(ms) == 0 {
		return fmt.Errorf("no host release")
	}
	first := ms[0]
	for _, m := range ms {
		if m.Host.Name != first.Host.Name || m.Host.Module != first.Host.Module {
			return fmt.Errorf("%s %s and %s %s are releases of different hosts: a repository is built for releases of one host", first.Host.Name, first.Host.Version, m.Host.Name, m.Host.Version)
		}
		if len(ms) > 1 && !semver.IsValid(m.Host.Version) {
			return fmt.Errorf("%s %s: host.version is not a semantic version (v1.2.3), which a repository built for several releases orders them by", m.Host.Name, m.Host.Version)
		}
	}
	slices.SortStableFunc(ms, func(a, b *manifest.Manifest) int { return semver.Compare(a.Host.Version, b.Host.Version) })
	l := Of(ms)
	tags := map[string]string{}
	for i, v := range l.Versions {
		if i > 0 && semver.Compare(l.Versions[i-1], v) == 0 {
			return fmt.Errorf("%s %s is given twice", l.Host, v)
		}
		if other, ok := tags[l.Tag(v)]; ok {
			return fmt.Errorf("%s %s and %s have the same build tag %s: give releases whose versions differ in more than punctuation", l.Host, other, v, l.Tag(v))
		}
		tags[l.Tag(v)] = v
	}
	return nil
}

// Of lists sorted manifests.
func Of(ms []*manifest.Manifest) List {
	l := List{}
	for _, m := range ms {
		l.Host = m.Host.Name
		l.Versions = append(l.Versions, m.Host.Version)
	}
	return l
}

// Newest is the newest release's version.
func (l List) Newest() string { return l.Versions[len(l.Versions)-1] }

// Contains tells whether the list holds release v.
func (l List) Contains(v string) bool { return slices.Contains(l.Versions, v) }

// Tag is release v's build tag: the host's name and the version, with
// what a build tag cannot hold written as _ (gateway_v0.9.0).
func (l List) Tag(v string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' {
			return r
		}
		return '_'
	}, l.Host+"_"+v)
}

// Tags are the build tags release v builds with besides the host's:
// none for the newest, its own for the others.
func (l List) Tags(v string) []string {
	if v == l.Newest() {
		return nil
	}
	return []string{l.Tag(v)}
}

// ModFile is the module file of release v: go.mod for the newest,
// releases/VERSION/go.mod for the others.
func (l List) ModFile(v string) string {
	if v == l.Newest() {
		return "go.mod"
	}
	return Dir + "/" + v + "/go.mod"
}

// SumFile is the go.sum beside a module file, as the go command finds it.
func SumFile(modFile string) string {
	return strings.TrimSuffix(modFile, ".mod") + ".sum"
}

// Describe names a set of the list's releases for a message: "gateway
// v0.9.0", "gateway v1.0.0 and v1.1.0".
func (l List) Describe(set []string) string {
	switch len(set) {
	case 0:
		return "no " + l.Host + " release"
	case 1:
		return l.Host + " " + set[0]
	}
	return l.Host + " " + strings.Join(set[:len(set)-1], ", ") + " and " + set[len(set)-1]
}

// Match finds the release a plugin built in the repository is for, from
// the build tags its build info records: the release whose tag it has, or
// the newest, whose build has none of its own.
func (l List) Match(tags []string) (string, error) {
	var found []string
	for _, v := range l.Versions {
		if slices.Contains(tags, l.Tag(v)) {
			found = append(found, v)
		}
	}
	switch len(found) {
	case 0:
		return l.Newest(), nil
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("built with the tags of %s: a build is for one release", l.Describe(found))
}
