package manifest

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// Validate checks every field of m and reports all problems at once.
func (m *Manifest) Validate() error {
	if p := m.validate(nil); p != nil {
		return p
	}
	return nil
}

// A checker collects problems, placing each on the line its field stands
// on when the manifest came from a file.
type checker struct {
	lines map[string]int
	list  []Problem
}

func (c *checker) add(path string, err error) {
	if err == nil {
		return
	}
	line := c.lines[path]
	for p := path; line == 0 && p != ""; {
		// An absent field has no line; use its parent's.
		p = p[:max(strings.LastIndexAny(p, ".["), 0)]
		line = c.lines[p]
	}
	c.list = append(c.list, Problem{Path: path, Line: line, Msg: err.Error()})
}

func (c *checker) required(path, value string, check func(string) error) {
	if value == "" {
		c.add(path, fmt.Errorf("missing"))
		return
	}
	c.add(path, check(value))
}

func (m *Manifest) validate(lines map[string]int) *Problems {
	c := &checker{lines: lines}
	if !isSupported(m.SchemaVersion) {
		c.add("schemaVersion", fmt.Errorf("schema version %d is not supported (this build reads version %d)", m.SchemaVersion, SchemaVersion))
	}
	c.required("host.name", m.Host.Name, CheckToken)
	c.required("host.version", m.Host.Version, CheckToken)
	if m.Host.Module != "" {
		c.add("host.module", module.CheckPath(m.Host.Module))
	}
	if src := m.Host.Source; src != nil {
		if src.Version == "" {
			c.required("host.source.repository", src.Repository, checkRepository)
		} else if src.Repository != "" {
			c.add("host.source.repository", checkRepository(src.Repository))
		}
		c.required("host.source.revision", src.Revision, checkRevision)
		if src.Version != "" {
			c.add("host.source.version", checkSourceVersion(m.Host.Module, src.Version))
		}
	}
	if m.Host.Latest != "" {
		c.add("host.latest", CheckLatestURL(m.Host.Latest))
	}
	c.required("go", m.Go, CheckGoVersion)
	m.Build.validate(c)
	c.required("sdk.module", m.SDK.Module, module.CheckPath)
	switch {
	case m.SDKIsHost():
		if m.SDK.Version != "" {
			c.add("sdk.version", fmt.Errorf("must be empty: the SDK is the host's own module, at host.source.revision"))
		}
	case m.SDK.Version == "":
		c.add("sdk.version", fmt.Errorf("missing"))
	case m.SDK.Module != "":
		c.add("sdk.version", checkVersion(m.SDK.Module, m.SDK.Version))
	}
	m.validateModules(c)
	m.validateProxy(c)
	m.validateLibc(c)
	m.Contract.validate(c, m.SDK.Module)
	m.Contract.validateGoText(c)
	m.Registration.validate(c, m)
	if len(c.list) == 0 {
		return nil
	}
	return &Problems{List: c.list}
}

func isSupported(v int) bool {
	for _, s := range SupportedSchemaVersions {
		if v == s {
			return true
		}
	}
	return false
}

func checkVersion(path, v string) error {
	if err := module.Check(path, v); err != nil {
		var merr *module.ModuleError
		if errors.As(err, &merr) {
			return fmt.Errorf("%s is not a valid version of %s: %v", quote(v), path, merr.Err)
		}
		return err
	}
	if err := checkIncompatible(path, v); err != nil {
		return err
	}
	// The go command's own canonical form, which keeps +incompatible
	// (semver.Canonical would drop it, and no go.mod could hold the result).
	if c := module.CanonicalVersion(v); c != v {
		return fmt.Errorf("%s is not canonical: write %s", quote(v), c)
	}
	return nil
}

// checkIncompatible refuses a +incompatible version the go command refuses
// though module.Check lets it pass: one of major version v0 or v1, or of a
// path with a major-version suffix.
func checkIncompatible(path, v string) error {
	if semver.Build(v) != "+incompatible" {
		return nil
	}
	if m := semver.Major(v); m == "v0" || m == "v1" {
		return fmt.Errorf("%s is not a valid version of %s: +incompatible is for major version v2 or later; write %s", quote(v), path, strings.TrimSuffix(v, "+incompatible"))
	}
	if _, major, _ := module.SplitPathVersion(path); major != "" {
		return fmt.Errorf("%s is not a valid version of %s: +incompatible is for a path without a major-version suffix; write %s", quote(v), path, strings.TrimSuffix(v, "+incompatible"))
	}
	return nil
}

func (b *Build) validate(c *checker) {
	if !b.CGO {
		c.add("build.cgo", fmt.Errorf("must be true: Go plugins need cgo, and a host built with CGO_ENABLED=0 cannot load them"))
	}
	for i, t := range b.Tags {
		c.add(fmt.Sprintf("build.tags[%d]", i), CheckBuildTag(t))
	}
	if b.Gcflags != "" {
		c.add("build.gcflags", CheckGcflags(b.Gcflags))
	}
	if b.Asmflags != "" {
		c.add("build.asmflags", CheckAsmflags(b.Asmflags))
	}
	if b.Goexperiment != "" && !goexperimentRE.MatchString(b.Goexperiment) {
		c.add("build.goexperiment", fmt.Errorf("%s is not a GOEXPERIMENT list: lower-case names separated by commas", quote(b.Goexperiment)))
	}
	if b.GOMODCACHE != "" {
		c.add("build.gomodcache", CheckModCache(b.GOMODCACHE, b.Trimpath))
	}
	if b.GOOS == "" {
		c.add("build.goos", fmt.Errorf("missing"))
	} else if _, ok := pluginPlatforms[b.GOOS]; !ok {
		c.add("build.goos", CheckPlatform(b.GOOS, ""))
	}
	if len(b.GOARCH) == 0 {
		c.add("build.goarch", fmt.Errorf("missing: list the architectures the host ships for"))
	}
	seen := map[string]bool{}
	for i, a := range b.GOARCH {
		p := fmt.Sprintf("build.goarch[%d]", i)
		if seen[a] {
			c.add(p, fmt.Errorf("%s is listed twice", quote(a)))
			continue
		}
		seen[a] = true
		if _, ok := pluginPlatforms[b.GOOS]; ok {
			c.add(p, CheckPlatform(b.GOOS, a))
		}
	}
	switch b.GOAMD64 {
	case "":
		if seen["amd64"] {
			c.add("build.goamd64", fmt.Errorf("missing: amd64 hosts record GOAMD64 (v1 unless set)"))
		}
	case "v1", "v2", "v3", "v4":
	default:
		c.add("build.goamd64", fmt.Errorf("%s is not one of v1, v2, v3, v4", quote(b.GOAMD64)))
	}
}

func (m *Manifest) validateModules(c *checker) {
	seen := map[string]bool{}
	for i, mod := range m.Modules {
		p := fmt.Sprintf("modules[%d]", i)
		if mod.Path == "" {
			c.add(p+".path", fmt.Errorf("missing"))
			continue
		}
		if err := module.CheckPath(mod.Path); err != nil {
			c.add(p+".path", err)
			continue
		}
		if seen[mod.Path] {
			c.add(p+".path", fmt.Errorf("%s is listed twice", mod.Path))
		}
		if module.MatchPrefixPatterns(ToolchainModule, mod.Path) {
			c.add(p+".path", fmt.Errorf("%s is the Go release the go command downloads and runs, not a module a host links", mod.Path))
		}
		seen[mod.Path] = true
		c.required(p+".version", mod.Version, func(v string) error { return checkVersion(mod.Path, v) })
		if mod.Sum != "" && !sumRE.MatchString(mod.Sum) {
			c.add(p+".sum", fmt.Errorf("%s is not a go.sum hash (h1:...)", quote(mod.Sum)))
		}
		if r := mod.Replace; r != nil {
			c.required(p+".replace.path", r.Path, func(s string) error {
				if !localPathRE.MatchString(s) {
					return fmt.Errorf("%s is not a module path or directory", quote(s))
				}
				return nil
			})
			if r.Version != "" {
				c.add(p+".replace.version", checkVersion(r.Path, r.Version))
			}
			if r.Sum != "" && !sumRE.MatchString(r.Sum) {
				c.add(p+".replace.sum", fmt.Errorf("%s is not a go.sum hash (h1:...)", quote(r.Sum)))
			}
		}
	}
	if m.SDK.Module == "" || m.SDK.Version == "" || m.SDKIsHost() {
		return
	}
	if sdk := m.Module(m.SDK.Module); sdk == nil {
		c.add("modules", fmt.Errorf("the SDK module %s is not in the host's build list", m.SDK.Module))
	} else if sdk.Version != m.SDK.Version {
		c.add("sdk.version", fmt.Errorf("%s differs from the host's build list, which has %s %s", m.SDK.Version, m.SDK.Module, sdk.Version))
	}
}

func (m *Manifest) validateLibc(c *checker) {
	if m.Libc.Glibc == nil && m.Libc.Musl == nil {
		c.add("libc", fmt.Errorf("missing: describe the glibc or musl images (or both)"))
	}
	for _, family := range m.Libc.Families() {
		img := m.Libc.Images(family)
		p := "libc." + family
		c.required(p+".builder", img.Builder, func(s string) error { return checkPinnedImage(s, img.BuilderDigest) })
		c.required(p+".runtime", img.Runtime, func(s string) error { return checkPinnedImage(s, img.RuntimeDigest) })
		c.add(p+".builderDigest", checkImageDigest(img.Builder, img.BuilderDigest))
		c.add(p+".runtimeDigest", checkImageDigest(img.Runtime, img.RuntimeDigest))
		for i, pkg := range img.Packages {
			c.add(fmt.Sprintf("%s.packages[%d]", p, i), CheckPackage(pkg))
		}
		if img.Builder != "" {
			if _, err := img.BuilderFamily(family); err != nil {
				c.add(p+".family", err)
			}
		}
	}
}

func (r *Registration) validate(c *checker, m *Manifest) {
	for _, f := range []struct{ path, value string }{
		{"registration.directory", r.Directory},
		{"registration.configFile", r.ConfigFile},
	} {
		if f.value != "" && (!hostPathRE.MatchString(f.value) || strings.Contains(f.value, "..")) {
			c.add(f.path, fmt.Errorf("%s is not a plain path: use letters, digits and . _ / -", quote(f.value)))
		}
	}
	if r.Artifact != "" {
		c.add("registration.artifact", CheckArtifact(r.Artifact))
	}
	if r.Artifact != "" && len(m.Libc.Families()) > 1 && !strings.Contains(r.Artifact, "{libc}") {
		c.add("registration.artifact", fmt.Errorf("must use {libc}: the release ships for %s, whose builds would take one name", strings.Join(m.Libc.Families(), " and ")))
	}
	if r.Artifact != "" && len(m.Build.GOARCH) > 1 && !strings.Contains(r.Artifact, "{goarch}") {
		c.add("registration.artifact", fmt.Errorf("must use {goarch}: the release ships for %s, whose builds would take one name", strings.Join(m.Build.GOARCH, " and ")))
	}
	if strings.Contains(r.Snippet, "```") || strings.ContainsRune(r.Snippet, 0) {
		c.add("registration.snippet", fmt.Errorf("must not contain ``` or NUL: it is shown inside a Markdown code block"))
	}
	if err := checkSnippet(r.Snippet); err != nil {
		c.add("registration.snippet", err)
	}
	for i, line := range strings.Split(r.Snippet, "\n") {
		if IsDirective(line) {
			c.add("registration.snippet", fmt.Errorf("line %d, %s, would start a line of the generated README that the go toolchain reads as a directive", i+1, quote(line)))
			break
		}
	}
	if len(r.Run) > 0 && r.Run[0] != "{host}" {
		c.add("registration.run", fmt.Errorf("must start with {host}, the host binary"))
	}
	for i, a := range r.Run {
		if a == "" || len(a) > 4096 || strings.ContainsRune(a, 0) {
			c.add(fmt.Sprintf("registration.run[%d]", i), fmt.Errorf("must be a non-empty argument of at most 4096 bytes, without NUL"))
		}
	}
}
