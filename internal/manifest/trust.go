package manifest

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// A manifest is written by someone other than the plugin author who runs
// scaffold with it, so what it may make happen on the author's machine is
// held to allowlists (README, "What a manifest can make happen"):
//
//   - the Go toolchain module is always verified against the checksum
//     database: no proxy setting of a manifest can exempt it, since the
//     go command runs the toolchain it downloads;
//   - private-module patterns (gonosumdb, goprivate, gonoproxy) name the
//     host's own modules, each a path prefix of a module the manifest
//     lists, never a glob, so that no module of the author's own is fetched
//     unverified;
//   - proxies are https URLs, off or direct; a file:// proxy comes only
//     from the author's command line or environment;
//   - compiler flags are parsed one by one against the flags that change
//     how packages compile, none of which names a file or a program.

// ToolchainModule is the module the go command downloads a Go release as,
// and then runs.
const ToolchainModule = "golang.org/toolchain"

// ownedPrefixes lists the module paths a manifest names as the host's (its
// own module, the SDK and its build list) and every path prefix of them,
// of whole elements: the literal patterns that match one of them.
func (m *Manifest) ownedPrefixes() map[string]bool {
	own := map[string]bool{}
	add := func(p string) {
		for p != "" && !own[p] {
			own[p] = true
			i := strings.LastIndexByte(p, '/')
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	add(m.Host.Module)
	add(m.SDK.Module)
	for _, mod := range m.Modules {
		add(mod.Path)
	}
	return own
}

func (m *Manifest) validateProxy(c *checker) {
	p := &m.Proxy
	if p.GOPROXY != "" {
		c.add("proxy.goproxy", CheckGOPROXY(p.GOPROXY))
	}
	own := m.ownedPrefixes()
	for _, f := range []struct {
		path     string
		patterns []string
	}{
		{"proxy.gonosumdb", p.GONOSUMDB},
		{"proxy.goprivate", p.GOPRIVATE},
		{"proxy.gonoproxy", p.GONOPROXY},
	} {
		for i, s := range f.patterns {
			c.add(fmt.Sprintf("%s[%d]", f.path, i), m.checkPrivatePattern(s, own))
		}
	}
}

// privatePatternRE admits a module path prefix: no glob, no space, no
// comma (which would start another pattern).
var privatePatternRE = lazyre.New(`^[A-Za-z0-9._~/+-]+$`)

// checkPrivatePattern checks a pattern of GONOSUMDB, GOPRIVATE or
// GONOPROXY: a module path prefix (whole path elements) of one of the
// modules own lists. A bare domain covers every module served from it, so
// it is taken only when it is the host's own module or the SDK.
func (m *Manifest) checkPrivatePattern(s string, own map[string]bool) error {
	switch {
	case s == "":
		return fmt.Errorf("empty: name a module of the host's, or a path prefix of one")
	case strings.ContainsAny(s, "*?[]\\"):
		return fmt.Errorf("%s is a glob: a manifest's patterns name the host's own modules (or path prefixes of them), each written out, so that no other module escapes verification", quote(s))
	case !privatePatternRE.MatchString(s) || module.CheckImportPath(s) != nil:
		return fmt.Errorf("%s is not a module path prefix", quote(s))
	case module.MatchPrefixPatterns(s, ToolchainModule):
		return fmt.Errorf("%s covers %s, the Go release the go command downloads and runs: it is always verified against the checksum database", quote(s), ToolchainModule)
	}
	// A pattern without a glob matches a path it is a prefix of, of
	// whole elements.
	if !own[s] {
		return fmt.Errorf("%s matches none of the host's modules (host.module, sdk.module, modules): a manifest's patterns cover only the host's own modules", quote(s))
	}
	if !strings.Contains(s, "/") && s != m.Host.Module && s != m.SDK.Module {
		return fmt.Errorf("%s is a bare domain, which would cover every module served from it: name the host's modules under it", quote(s))
	}
	return nil
}

// CheckGOPROXY checks a GOPROXY list from a manifest: https URLs, "off" and
// "direct", separated by "," or "|". A file:// proxy serves whatever is in
// a directory of the author's machine, and behind a lone one the go
// command lets GONOSUMDB exempt even the Go toolchain it runs, so only the
// author may choose one: in the environment or on the command line.
func CheckGOPROXY(s string) error {
	for _, e := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' }) {
		if err := checkProxyEntry(e); err != nil {
			return fmt.Errorf("%s: %w", quote(s), err)
		}
	}
	if strings.Trim(s, ",|") != s || strings.Contains(s, ",,") || strings.Contains(s, "||") || strings.Contains(s, ",|") || strings.Contains(s, "|,") {
		return fmt.Errorf("%s has an empty entry", quote(s))
	}
	return nil
}

func checkProxyEntry(e string) error {
	if e == "off" || e == "direct" {
		return nil
	}
	u, err := url.Parse(e)
	switch {
	case err != nil || !goproxyRE.MatchString(e):
		return fmt.Errorf("%s is not a proxy URL", quote(e))
	case u.Scheme == "file":
		return fmt.Errorf("%s is a file:// proxy, which a manifest may not name: set GOPROXY in your environment to use one", quote(e))
	case u.Scheme != "https":
		return fmt.Errorf("%s is not an https:// URL, off or direct", quote(e))
	case u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return fmt.Errorf("%s: give an https URL with a host, without a user, query or fragment", quote(e))
	}
	return nil
}

// A flagRule admits one compiler flag: its name, and whether its value,
// if it takes one, is allowed.
type flagRule struct {
	name  string
	value func(v string) bool // nil: the flag takes no value
}

// oneOf admits a value from list, or a comma-separated list of them when
// list is true.
func oneOf(many bool, values ...string) func(string) bool {
	return func(v string) bool {
		if !many {
			return slices.Contains(values, v)
		}
		for _, x := range strings.Split(v, ",") {
			if !slices.Contains(values, x) {
				return false
			}
		}
		return true
	}
}

var asmSymbolRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*(=[A-Za-z0-9_]+)?$`)

// GcflagsAllowed are the compiler flags a manifest may give in
// build.gcflags: each changes how packages compile (and so their hashes),
// as a host built for debugging or with extra checks does; none names a
// file or a program.
var GcflagsAllowed = []flagRule{
	{name: "-N"},
	{name: "-l"},
	{name: "-B"},
	{name: "-smallframes"},
	{name: "-d", value: oneOf(true, "checkptr", "checkptr=0", "checkptr=1", "checkptr=2")},
	{name: "-dwarf", value: oneOf(false, "true", "false")},
	{name: "-dwarflocationlists", value: oneOf(false, "true", "false")},
	{name: "-spectre", value: oneOf(true, "all", "index", "ret")},
}

// AsmflagsAllowed are the assembler flags a manifest may give in
// build.asmflags.
var AsmflagsAllowed = []flagRule{
	{name: "-D", value: asmSymbolRE.MatchString},
	{name: "-spectre", value: oneOf(true, "all", "ret")},
}

// flagNames lists the names of rules, for messages.
func flagNames(rules []flagRule) string {
	var names []string
	for _, r := range rules {
		n := r.name
		if r.value != nil {
			n += "=..."
		}
		names = append(names, n)
	}
	return strings.Join(names, " ")
}

// packagePatternRE matches an import path pattern: elements starting with
// a letter or digit, the last one possibly "...".
var packagePatternRE = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._~+-]*(/[A-Za-z0-9][A-Za-z0-9._~+-]*)*(/\.\.\.)?$`)

// CheckGcflags checks a -gcflags value against [GcflagsAllowed].
func CheckGcflags(s string) error { return checkFlags(s, "compiler", GcflagsAllowed) }

// CheckAsmflags checks an -asmflags value against [AsmflagsAllowed].
func CheckAsmflags(s string) error { return checkFlags(s, "assembler", AsmflagsAllowed) }

// checkFlags parses a per-package flag value as the go command does
// ("[pattern=]flag flag..."), and checks the pattern and each flag.
func checkFlags(s, tool string, rules []flagRule) error {
	if err := CheckCompilerFlags(s); err != nil {
		return err
	}
	list := s
	if !strings.HasPrefix(s, "-") {
		pattern, rest, ok := strings.Cut(s, "=")
		if !ok || (pattern != "all" && pattern != "std" && !packagePatternRE.MatchString(pattern)) || strings.Contains(pattern, " ") {
			return fmt.Errorf("%s: %s is not a package pattern (all, std, or an import path, optionally ending in /...)", quote(s), quote(pattern))
		}
		list = rest
	}
	for _, f := range strings.Fields(list) {
		if err := checkFlag(f, rules); err != nil {
			return fmt.Errorf("%s: %w; a manifest gives only %s flags that change how packages compile: %s", quote(s), err, tool, flagNames(rules))
		}
	}
	return nil
}

func checkFlag(f string, rules []flagRule) error {
	name, value, hasValue := strings.Cut(f, "=")
	i := slices.IndexFunc(rules, func(r flagRule) bool { return r.name == name })
	switch {
	case !strings.HasPrefix(f, "-") || strings.HasPrefix(f, "--"):
		return fmt.Errorf("%s is not a flag", quote(f))
	case i < 0:
		return fmt.Errorf("%s is not allowed", quote(name))
	case rules[i].value == nil && hasValue:
		return fmt.Errorf("%s takes no value", quote(name))
	case rules[i].value != nil && (!hasValue || !rules[i].value(value)):
		return fmt.Errorf("%s: value %s is not allowed", quote(name), quote(value))
	}
	return nil
}

// A Setting is one value a manifest gives that decides where a plugin's
// modules come from, which of them are verified, what its compiler is
// told, or where its build writes: scaffold new shows them and records
// them in scaffold.lock, and scaffold upgrade applies a change to them
// only when the author accepts it. Build tags and GOEXPERIMENT only choose
// among code the modules already hold, and are not among them.
type Setting struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Settings lists m's settings that are set, in a fixed order.
func (m *Manifest) Settings() []Setting {
	var out []Setting
	add := func(field, value string) {
		if value != "" {
			out = append(out, Setting{field, value})
		}
	}
	add("proxy.goproxy", m.Proxy.GOPROXY)
	add("proxy.gonosumdb", strings.Join(m.Proxy.GONOSUMDB, ","))
	add("proxy.goprivate", strings.Join(m.Proxy.GOPRIVATE, ","))
	add("proxy.gonoproxy", strings.Join(m.Proxy.GONOPROXY, ","))
	add("build.gcflags", m.Build.Gcflags)
	add("build.asmflags", m.Build.Asmflags)
	add("build.gomodcache", m.Build.GOMODCACHE)
	if m.Host.Source != nil {
		add("host.source.repository", m.Host.Source.Repository)
		add("host.source.version", m.Host.Source.Version)
	}
	return out
}

// A SettingChange is a setting that differs between two releases; Old or
// New is empty where the setting is not set.
type SettingChange struct {
	Field, Old, New string
}

// settingFields are the fields [Manifest.Settings] lists, in its order.
var settingFields = []string{
	"proxy.goproxy", "proxy.gonosumdb", "proxy.goprivate", "proxy.gonoproxy",
	"build.gcflags", "build.asmflags", "build.gomodcache",
	"host.source.repository", "host.source.version",
}

// ChangedSettings lists the settings that differ between old and new, in
// the order [Manifest.Settings] gives them.
func ChangedSettings(old, new []Setting) []SettingChange {
	values := func(list []Setting) map[string]string {
		m := map[string]string{}
		for _, s := range list {
			m[s.Field] = s.Value
		}
		return m
	}
	o, n := values(old), values(new)
	var out []SettingChange
	for _, f := range settingFields {
		if o[f] != n[f] {
			out = append(out, SettingChange{f, o[f], n[f]})
		}
	}
	return out
}
