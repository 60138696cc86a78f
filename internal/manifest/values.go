package manifest

import (
	"fmt"
	"go/version"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// The checks below decide which values may reach a generated Makefile,
// Dockerfile or shell command. Each admits only the characters its kind of
// value needs, so that no value can carry '$', a backquote, a quote, ';', a
// newline or a space where one would be read as syntax.

var (
	// tokenRE matches names and versions that become parts of file names.
	tokenRE    = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$`)
	buildTagRE = lazyre.New(`^[A-Za-z0-9_.]+$`)
	// compilerFlagsRE matches -gcflags and -asmflags values such as
	// "all=-N -l": words separated by single spaces, no quoting needed.
	compilerFlagsRE = lazyre.New(`^[A-Za-z0-9_./=,:+@-]+( [A-Za-z0-9_./=,:+@-]+)*$`)
	goexperimentRE  = lazyre.New(`^[a-z0-9]+(,[a-z0-9]+)*$`)
	goVersionRE     = lazyre.New(`^go1\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)|rc[1-9][0-9]*|beta[1-9][0-9]*)?$`)
	goproxyRE       = lazyre.New(`^[A-Za-z0-9._~:/@%+,|-]+$`)
	sumRE           = lazyre.New(`^h1:[A-Za-z0-9+/]{43}=$`)
	localPathRE     = lazyre.New(`^[A-Za-z0-9._/@+~-]+$`)
	packageRE       = lazyre.New(`^[a-z0-9][a-z0-9+._-]*(=[A-Za-z0-9.+~:_-]+)?$`)
	hostPathRE      = lazyre.New(`^[A-Za-z0-9._/-]+$`)
	// imageRE follows the distribution reference grammar: an optional
	// registry host, a lower-case repository path, a tag, a digest.
	digestRE = lazyre.New(`^sha256:[a-f0-9]{64}$`)
	imageRE  = lazyre.New(`^(?:(?P<host>[A-Za-z0-9.-]+(?::[0-9]+)?)/)?` +
		`(?P<repo>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)` +
		`(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?` +
		`(?:@(?P<digest>sha256:[a-f0-9]{64}))?$`)
)

// CheckToken checks a name or version that becomes part of a file name or a
// Makefile variable: letters, digits and "._+-", starting with a letter or
// digit.
func CheckToken(s string) error {
	if !tokenRE.MatchString(s) {
		return fmt.Errorf("%s is not allowed: use letters, digits and . _ + - (starting with a letter or digit)", quote(s))
	}
	return nil
}

// CheckGoVersion checks an exact Go release such as "go1.26.8". A language
// version such as "go1.26" names no release and is refused: plugin.Open
// compares patch releases.
func CheckGoVersion(s string) error {
	m := goVersionRE.FindStringSubmatch(s)
	if m == nil || !version.IsValid(s) {
		return fmt.Errorf("%s is not a Go release: write it as go1.26.8", quote(s))
	}
	minor, _ := strconv.Atoi(m[1])
	if minor < 21 {
		// Toolchain lines and GOTOOLCHAIN, which pin the release for every
		// plugin build, came with go1.21.
		return fmt.Errorf("%s is older than go1.21, which plugin builds need to pin their Go release", quote(s))
	}
	if m[2] == "" {
		return fmt.Errorf("%s is a language version, not a release: give the patch release, as %s.0 or later", quote(s), s)
	}
	return nil
}

// CheckBuildTag checks one build tag.
func CheckBuildTag(s string) error {
	if !buildTagRE.MatchString(s) {
		return fmt.Errorf("%s is not a valid build tag: use letters, digits, dots and underscores", quote(s))
	}
	return nil
}

// CheckCompilerFlags checks a -gcflags or -asmflags value.
func CheckCompilerFlags(s string) error {
	if !compilerFlagsRE.MatchString(s) {
		return fmt.Errorf("%s is not allowed: flags are words of letters, digits and _ . / = , : + @ - separated by single spaces", quote(s))
	}
	return nil
}

// CheckImage checks a container image reference and that it is pinned: a
// tag other than "latest", or a digest.
func CheckImage(s string) error {
	m := imageRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("%s is not a valid image reference", quote(s))
	}
	tag, digest := m[imageRE.SubexpIndex("tag")], m[imageRE.SubexpIndex("digest")]
	if digest == "" && (tag == "" || tag == "latest") {
		return fmt.Errorf("%s is not pinned: give an exact tag (not latest) or a digest", quote(s))
	}
	return nil
}

// checkPinnedImage checks an image reference, which a digest given beside
// it pins as well as its own tag or digest would.
func checkPinnedImage(s, digest string) error {
	if digest == "" || !imageRE.MatchString(s) {
		return CheckImage(s)
	}
	return nil
}

// checkImageDigest checks the digest given beside the image ref: sha256
// and 64 hex digits, and the same as the one ref holds, if any.
func checkImageDigest(ref, digest string) error {
	if digest == "" {
		return nil
	}
	if !digestRE.MatchString(digest) {
		return fmt.Errorf("%s is not a digest: write it as sha256: and 64 lower-case hex digits", quote(digest))
	}
	if m := imageRE.FindStringSubmatch(ref); m != nil {
		if own := m[imageRE.SubexpIndex("digest")]; own != "" && own != digest {
			return fmt.Errorf("%s differs from the digest of the image, %s", quote(digest), quote(ref))
		}
	}
	return nil
}

// CheckPackage checks an OS package name, optionally pinned as name=version.
func CheckPackage(s string) error {
	if !packageRE.MatchString(s) {
		return fmt.Errorf("%s is not a valid package name", quote(s))
	}
	return nil
}

// Platforms that support -buildmode=plugin, from cmd/internal/platform.
var pluginPlatforms = map[string][]string{
	"linux":   {"386", "amd64", "arm", "arm64", "loong64", "ppc64le", "riscv64", "s390x"},
	"android": {"386", "amd64", "arm", "arm64"},
	"darwin":  {"amd64", "arm64"},
	"freebsd": {"amd64"},
}

// CheckPlatform checks that goos/goarch can build and load plugins.
func CheckPlatform(goos, goarch string) error {
	arches, ok := pluginPlatforms[goos]
	if !ok {
		return fmt.Errorf("%s does not support Go plugins (supported: android, darwin, freebsd, linux)", quote(goos))
	}
	if !slices.Contains(arches, goarch) {
		return fmt.Errorf("%s/%s does not support Go plugins (%s supports %s)", goos, goarch, goos, strings.Join(arches, ", "))
	}
	return nil
}

// quoteMax is how much of a value an error shows.
const quoteMax = 200

// quote shows a value in an error so that hidden characters are visible,
// cutting one too long to read.
func quote(s string) string {
	if len(s) <= quoteMax {
		return strconv.Quote(s)
	}
	i := quoteMax
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return fmt.Sprintf("%s… (%d more bytes)", strconv.Quote(s[:i]), len(s)-i)
}

var (
	repositoryRE = lazyre.New(`^[A-Za-z0-9._~:/@%+=-]+$`)
	revisionRE   = lazyre.New(`^([0-9a-f]{40}|[0-9a-f]{64})$`)
	artifactRE   = lazyre.New(`^([A-Za-z0-9._+-]|\{[A-Za-z]+\})+\.so$`)
	fieldRE      = lazyre.New(`\{([A-Za-z]+)\}`)
)

// repositoryPrefixRE admits the transports git fetches over the network
// or from disk, and scp-like addresses; "transport::address" forms, which
// can run commands, are left out.
var repositoryPrefixRE = lazyre.New(`^(https?://|ssh://|git://|file://|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:|/|\./|\.\./)`)

func checkRepository(s string) error {
	if !repositoryRE.MatchString(s) || !repositoryPrefixRE.MatchString(s) || strings.Contains(s, "::") {
		return fmt.Errorf("%s is not a repository URL (https://, ssh://, git://, file://, user@host:path) or path", quote(s))
	}
	return nil
}

// checkSourceVersion checks the version the module proxy serves the
// host's module at: a canonical module version of that path.
func checkSourceVersion(modPath, v string) error {
	if modPath == "" {
		return fmt.Errorf("needs host.module: the module whose version it is")
	}
	if err := module.Check(modPath, v); err != nil || semver.Canonical(v) != v && !strings.HasSuffix(v, "+incompatible") {
		return fmt.Errorf("%s is not a canonical version of %s", quote(v), modPath)
	}
	return nil
}

func checkRevision(s string) error {
	if !revisionRE.MatchString(s) {
		return fmt.Errorf("%s is not a full commit hash", quote(s))
	}
	return nil
}

// ArtifactFields are the fields an artifact name pattern may use.
var ArtifactFields = []string{"name", "version", "host", "hostVersion", "goos", "goarch", "libc"}

// DefaultArtifact is the artifact name pattern of a host that names none:
// every fact that decides whether the file loads is in its name.
const DefaultArtifact = "{name}_{version}_{host}-{hostVersion}_{goos}_{goarch}_{libc}.so"

// CheckArtifact checks an artifact name pattern.
func CheckArtifact(s string) error {
	if !artifactRE.MatchString(s) {
		return fmt.Errorf("%s is not a file name pattern ending in .so: use letters, digits, . _ + - and fields such as {name}", quote(s))
	}
	for _, m := range fieldRE.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(ArtifactFields, m[1]) {
			return fmt.Errorf("%s: unknown field {%s} (fields: %s)", quote(s), m[1], strings.Join(ArtifactFields, ", "))
		}
	}
	if !strings.Contains(s, "{name}") {
		return fmt.Errorf("%s does not use {name}", quote(s))
	}
	return nil
}
