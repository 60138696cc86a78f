// Package generator writes a new plugin repository for one host release:
// go.mod pinned to the host's Go release and module versions, a Makefile
// with the host's flags, Dockerfiles, docs, hello-world hook code and the
// lock file that lets a later upgrade reproduce this generation.
//
// Generation renders every file in memory first, checks it, and only then
// writes, into a temporary directory that is renamed into place: a failure
// leaves nothing behind.
package generator

import (
	"context"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/gitrepo"
	"github.com/scaffold-dev/scaffold/internal/gomod"
	"github.com/scaffold-dev/scaffold/internal/hooks"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lazyre"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/nearest"
	"github.com/scaffold-dev/scaffold/internal/progress"
	"github.com/scaffold-dev/scaffold/internal/render"
	"github.com/scaffold-dev/scaffold/internal/target"
	"github.com/scaffold-dev/scaffold/internal/versions"
	"github.com/scaffold-dev/scaffold/templates"
)

// DefaultVersion is the version a new plugin starts at.
const DefaultVersion = "v0.1.0"

// Options are the answers and inputs of one generation.
type Options struct {
	// Name is the plugin's name: lower-case letters, digits, - and _.
	Name string
	// Module is the plugin's module path.
	Module string
	// Version is the plugin's own version, stamped into its artifacts.
	Version string
	// Libc lists the libc families to build for, each one the manifest
	// describes.
	Libc []string
	// Requires are the plugin's own module requirements.
	Requires []module.Version
	// Optional lists the optional symbols of a symbol-set contract to
	// implement.
	Optional []string
	// Handlers names the handlers of a handlers contract.
	Handlers []string
	// License is the SPDX identifier of the license LICENSE gives the
	// plugin, one of [Licenses]; empty writes no LICENSE.
	License string
	// Proof is the interface's method set an implementer's compile-time
	// proof declares, when not the contract's own (an upgrade's hook code
	// implements the earlier release's methods).
	Proof []manifest.Method
	// Manifest is the host release; with Targets, the newest of them.
	Manifest *manifest.Manifest
	// Targets, when not nil, are every host release the plugin is built
	// for, oldest first, Manifest's the last: the repository is built for
	// several releases (see package target), each with its own module
	// file, and the Go files hold what differs between them behind build
	// constraints. Their ManifestDigest and Settings are filled in.
	Targets []lock.Target
	// Dropped are the releases the plugin was built for and is no longer,
	// for the docs' version matrix.
	Dropped []lock.Dropped

	// ManifestSource is where the manifest was fetched from, with its
	// digest (URL#sha256=HEX), recorded in the lock; empty for a file.
	ManifestSource string
	// ScaffoldVersion is the scaffold release the repository's Makefile
	// installs when none is on PATH, and its docs and CI install; empty
	// means [SelfVersion], and where that is empty too (a development
	// build) the repository names none.
	ScaffoldVersion string

	// Templates replaces the embedded templates when not nil.
	Templates fs.FS
	// TemplateVersion is recorded in the lock; empty means the embedded
	// set's version.
	TemplateVersion string
	// Env is the environment of the go commands; nil means os.Environ().
	Env []string
	// Offline skips the go commands that download modules and complete
	// go.sum.
	Offline bool
	// Git makes the new directory a git repository with one commit of
	// every file. It is made in the staging directory and goes into place
	// with the files, so that a kill never leaves a partial .git.
	Git bool
	// Log receives a line for each step; nil discards them.
	Log io.Writer
	// Progress shows how long a slow step (resolving modules, which may
	// download a Go release) has taken so far; nil shows nothing.
	Progress *progress.Meter

	// modFile is the module file Resolve reads and writes, relative to
	// its directory; "" is go.mod.
	modFile string
}

var nameRE = lazyre.New(`^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$`)

// CheckName checks a plugin name. It becomes a file name, a Makefile value
// and a Go identifier, so it is held to what all three accept.
func CheckName(name string) error {
	if !nameRE.MatchString(name) || len(name) > 64 {
		return fmt.Errorf("plugin name %q: use lower-case letters and digits, separated by single - or _, starting with a letter (at most 64)", name)
	}
	if windowsReserved(name) {
		return fmt.Errorf("plugin name %q: Windows reserves it for a device, so a repository with files of that name cannot be checked out there", name)
	}
	return nil
}

// windowsReserved tells whether Windows reserves name, whatever its
// extension, for a device. golang.org/x/mod's module.CheckFilePath
// decides, as it does for every file of a module the go command
// downloads: a rule of scaffold's own would disagree with Go's at the
// edges. The name has passed nameRE, so a device name is all that
// CheckFilePath can refuse in it.
func windowsReserved(name string) bool {
	return module.CheckFilePath(name) != nil
}

// CheckModuleOwn checks that a plugin's module path is its own: not the
// host's module, the SDK or a module the host shares, nor a path inside the
// SDK or a shared module. A plugin with such a path would import itself,
// or find its packages in two modules. A path inside the host's module is
// fine when the plugin does not build with it (a first-party plugin kept
// as a module of its own in the host's repository).
func CheckModuleOwn(path string, m *manifest.Manifest) error {
	type other struct {
		path, what string
		inside     bool // a path inside it is refused too
	}
	others := []other{{m.SDK.Module, "the SDK module", true}}
	for _, mod := range m.Modules {
		others = append(others, other{mod.Path, "a module the host shares", true})
	}
	others = append(others, other{m.Host.Module, "the host's module", false})
	for _, o := range others {
		switch {
		case o.path == "":
		case path == o.path:
			return fmt.Errorf("module path %q is %s: give the plugin a module path of its own", path, o.what)
		case o.inside && strings.HasPrefix(path, o.path+"/"):
			return fmt.Errorf("module path %q is inside %s %s: give the plugin a module path of its own", path, o.what, o.path)
		}
	}
	return nil
}

// CheckModule checks a plugin's module path.
func CheckModule(path string) error {
	if err := module.CheckPath(path); err != nil {
		return fmt.Errorf("module path %q: %w", path, unwrapModuleError(err))
	}
	return nil
}

// CheckVersion checks a plugin version.
func CheckVersion(v string) error {
	if !semver.IsValid(v) || semver.Canonical(v) != v || strings.Contains(v, "+") {
		return fmt.Errorf("version %q is not a semantic version such as v0.1.0", v)
	}
	return nil
}

func unwrapModuleError(err error) error {
	if me, ok := err.(*module.InvalidPathError); ok {
		return me.Err
	}
	return err
}

// check validates the options against each other and the manifest, and
// fills in defaults. It may run more than once on the same options.
func (o *Options) check() error {
	if o.Manifest == nil {
		return fmt.Errorf("no manifest")
	}
	// Manifests from files are validated when read; one built in code
	// gets the same errors here, not a panic further on.
	if err := o.Manifest.Validate(); err != nil {
		return err
	}
	if err := CheckName(o.Name); err != nil {
		return err
	}
	if err := CheckModule(o.Module); err != nil {
		return err
	}
	if err := CheckModuleOwn(o.Module, o.Manifest); err != nil {
		return err
	}
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if o.ScaffoldVersion == "" {
		o.ScaffoldVersion = SelfVersion()
	}
	if err := CheckVersion(o.Version); err != nil {
		return err
	}
	if len(o.Libc) == 0 {
		return fmt.Errorf("--libc: none chosen (the host release ships for %s)", strings.Join(o.Manifest.Libc.Families(), ", "))
	}
	seen := map[string]bool{}
	for _, l := range o.Libc {
		if o.Manifest.Libc.Images(l) == nil {
			return fmt.Errorf("--libc: %q: the host release ships for %s only%s", l, strings.Join(o.Manifest.Libc.Families(), ", "), didYouMean(l, o.Manifest.Libc.Families()))
		}
		if seen[l] {
			return fmt.Errorf("--libc: %q is listed twice", l)
		}
		seen[l] = true
	}
	// A fixed order, whatever order the answers came in.
	o.Libc = slices.DeleteFunc([]string{manifest.Glibc, manifest.Musl}, func(l string) bool { return !seen[l] })
	if err := o.checkContractAnswers(); err != nil {
		return err
	}
	if err := o.checkTargets(); err != nil {
		return err
	}
	if o.License != "" {
		id, err := CheckLicense(o.License, o.templates())
		if err != nil {
			return fmt.Errorf("--license: %w", err)
		}
		o.License = id
	}
	return o.checkRequires()
}

// Licenses lists the SPDX identifiers of the licenses a template set can
// write as LICENSE: its licenses/ID.tmpl files.
func Licenses(fsys fs.FS) []string {
	entries, _ := fs.ReadDir(fsys, "licenses")
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".tmpl"); ok && !e.IsDir() {
			ids = append(ids, id)
		}
	}
	return ids
}

// CheckLicense checks an SPDX license identifier, which SPDX matches
// without regard to case, and returns it as the template set spells it.
func CheckLicense(id string, fsys fs.FS) (string, error) {
	ids := Licenses(fsys)
	for _, l := range ids {
		if strings.EqualFold(l, id) {
			return l, nil
		}
	}
	return "", fmt.Errorf("%q is not a license scaffold writes: give one of %s (SPDX identifiers), or none%s", id, strings.Join(ids, ", "), didYouMean(id, ids))
}

func (o *Options) templates() fs.FS {
	if o.Templates != nil {
		return o.Templates
	}
	return templates.FS()
}

// checkContractAnswers checks the choices a contract leaves to the author:
// which optional symbols to write, and the handlers' names.
func (o *Options) checkContractAnswers() error {
	k := &o.Manifest.Contract
	if len(o.Optional) > 0 && k.Kind != manifest.KindSymbols {
		return fmt.Errorf("--hooks: the host's contract (%s) has no optional symbols", k.Kind)
	}
	for _, name := range o.Optional {
		if !slices.Contains(k.Optional(), name) {
			return fmt.Errorf("--hooks: %q is not an optional symbol of the contract (it has %s)%s", name, orNone(k.Optional()), didYouMean(name, k.Optional()))
		}
	}
	o.Optional = sortedUnique(o.Optional)
	switch {
	case k.Kind == manifest.KindHandlers && len(o.Handlers) == 0:
		return fmt.Errorf("--handlers: the host calls handlers by name; name at least one")
	case k.Kind != manifest.KindHandlers && len(o.Handlers) > 0:
		return fmt.Errorf("--handlers: the host's contract (%s) has no handlers", k.Kind)
	}
	seen := map[string]bool{}
	for _, h := range o.Handlers {
		if err := CheckHandlerName(h); err != nil {
			return fmt.Errorf("--handlers: %w", err)
		}
		if seen[h] {
			return fmt.Errorf("--handlers: %s is named twice", h)
		}
		seen[h] = true
	}
	return nil
}

// CheckHandlerName checks a handler's name: an exported Go identifier that
// the generated file does not use for anything else.
func CheckHandlerName(name string) error {
	if !token.IsIdentifier(name) || !token.IsExported(name) {
		return fmt.Errorf("handler name %q is not an exported Go identifier, such as AddHeader", name)
	}
	return nil
}

// didYouMean names the value of candidates typed most likely meant, as
// " (did you mean x?)", or is "".
func didYouMean(typed string, candidates []string) string {
	if n := nearest.Name(typed, candidates); n != "" {
		return " (did you mean " + n + "?)"
	}
	return ""
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func sortedUnique(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

// checkRequires refuses a requirement that raises a module the host also
// builds, and brings one below the host's version up to it.
func (o *Options) checkRequires() error {
	if len(o.Requires) > 0 && o.Manifest.SDKIsHost() {
		return fmt.Errorf("--require: the host's SDK is its own module, resolved in a workspace at build time; add requirements to go.mod there")
	}
	var reqs []module.Version
	for _, r := range o.Requires {
		if err := module.Check(r.Path, r.Version); err != nil {
			return fmt.Errorf("--require %s@%s: %w", r.Path, r.Version, err)
		}
		if r.Path == o.Module {
			return fmt.Errorf("--require %s: the plugin cannot require itself", r.Path)
		}
		for _, m := range o.manifests() {
			host := m.Module(r.Path)
			if host == nil {
				continue
			}
			who := "the host builds"
			if o.Targets != nil {
				who = m.Host.Name + " " + m.Host.Version + " builds"
			}
			switch c := semver.Compare(r.Version, host.Version); {
			case c > 0:
				return fmt.Errorf("--require %s@%s: %s %s %s; a plugin that raises a module the host shares is refused by plugin.Open: require %s or drop the requirement", r.Path, r.Version, who, r.Path, host.Version, host.Version)
			case c < 0 && o.Targets == nil:
				// With several releases, each module file raises it
				// to its own host's version (requiresFor).
				r.Version = host.Version
			}
		}
		reqs = append(reqs, r)
	}
	o.Requires = reqs
	return nil
}

// A Result describes a finished generation.
type Result struct {
	Dir   string
	Files []string
	// Notes are things the user must do or know, such as the command
	// that completes go.sum after an offline generation.
	Notes []string
}

// Generate writes the new repository to out, which must not exist or must
// be an empty directory.
func Generate(ctx context.Context, o Options, out string) (*Result, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	out, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	tree, err := Render(&o)
	if err != nil {
		return nil, err
	}
	// go.sum and scaffold.lock come after, from the go command and the
	// rendered files: the list of what was created holds them too.
	o.logf("rendered %d files from the templates", len(tree))
	staged, err := filetree.Create(out, tree, func(rc *filetree.Recovery) {
		o.logf("%s: %s", out, rc)
	})
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", out, err)
	}
	committed := false
	defer func() {
		if !committed {
			staged.Abort()
		}
	}()
	dir := staged.Dir()
	res := &Result{Dir: out}
	if o.Manifest.SDKIsHost() {
		// Modules resolve only in the workspace the Makefile writes, with
		// the host's source beside the plugin.
		res.Notes = append(res.Notes, fmt.Sprintf("the plugin builds in a Go workspace with %s %s (revision %s): make clones it, or, with a checkout of your own at that revision, record it once: make host-src HOST_SRC=path", o.Manifest.Host.Name, o.Manifest.Host.Version, o.Manifest.Host.Source.Revision))
	} else if o.Offline {
		res.Notes = append(res.Notes, "skipped the module download (--offline): run 'make tidy' in "+out+" to complete go.sum; go.mod pins the modules the host shares")
	} else if o.Targets != nil {
		if err := o.resolveTargets(ctx, dir, tree); err != nil {
			return nil, err
		}
	} else {
		if err := Resolve(ctx, dir, &o); err != nil {
			return nil, err
		}
		gm, err := input.ReadFile(filepath.Join(dir, "go.mod"), input.SourceLimit)
		if err != nil {
			return nil, err
		}
		tree["go.mod"] = gm
	}
	// go.sum is there even when the go command has not written it, for
	// the Dockerfiles to copy.
	final := maps.Clone(tree)
	for _, sum := range o.sumFiles() {
		final[sum] = nil
		if _, err := os.Stat(filepath.Join(dir, sum)); os.IsNotExist(err) {
			if err := os.WriteFile(filepath.Join(dir, sum), nil, 0o644); err != nil {
				return nil, err
			}
		}
	}
	lk, err := o.lock(tree).Marshal()
	if err != nil {
		return nil, err
	}
	// The lock holds the manifest and every generated file: one that
	// scaffold upgrade could not read back is refused now, by its path
	// in the repository.
	if len(lk) > input.LockLimit {
		return nil, fmt.Errorf("%s would be %s, more than the %s a lock may be: the manifest and the files generated from it are too large", filepath.Join(out, lock.FileName), input.Size(int64(len(lk))), input.Size(input.LockLimit))
	}
	if err := os.WriteFile(filepath.Join(dir, lock.FileName), lk, 0o644); err != nil {
		return nil, err
	}
	final[lock.FileName] = nil
	if o.Git {
		res.Notes = append(res.Notes, o.git(ctx, staged, out)...)
	}
	if err := staged.Commit(); err != nil {
		return nil, err
	}
	committed = true
	res.Files = final.Paths()
	return res, nil
}

// git makes the staged tree a git repository with its first commit, and
// returns notes for the user. The files are complete: a repository git
// could not make is a note, not a failed generation, and what git left of
// it is removed.
func (o *Options) git(ctx context.Context, target *filetree.Target, out string) []string {
	if target.Repository() {
		return []string{out + " is a git repository already: its .git is left as it is, the files are not committed (git add -A && git commit)"}
	}
	msg := fmt.Sprintf("%s for %s, generated by scaffold", o.Name, o.hostReleases())
	note, err := gitrepo.Init(ctx, target.Dir(), out, msg)
	if err != nil {
		if rerr := os.RemoveAll(filepath.Join(target.Dir(), ".git")); rerr != nil {
			err = fmt.Errorf("%w (and removing what it left: %v)", err, rerr)
		}
		note = fmt.Sprintf("%v; the files are written, not committed", err)
	}
	if note == "" {
		return nil
	}
	return []string{note}
}

func (o *Options) lock(tree filetree.Tree) *lock.Lock {
	if o.Targets != nil {
		// The plugin's own Go files are the author's from the start:
		// what differs between releases is kept apart by build
		// constraints, which later changes to the releases rewrite,
		// never by merging generated code into the author's.
		tree = maps.Clone(tree)
		maps.DeleteFunc(tree, func(p string, _ []byte) bool { return AuthorGo(p) })
	}
	return &lock.Lock{
		Format:          lock.Format,
		TemplateVersion: o.templateVersion(),
		ManifestDigest:  o.Manifest.Digest(),
		ManifestSource:  o.ManifestSource,
		Settings:        o.Manifest.Settings(),
		Answers:         lock.Answers{Name: o.Name, Module: o.Module, Version: o.Version, Libc: o.Libc, Hooks: o.Optional, Handlers: o.Handlers, Requires: lock.RequiresOf(o.Requires), License: o.License},
		Manifest:        o.Manifest,
		Files:           tree,
		Targets:         o.Targets,
		Dropped:         o.Dropped,
	}
}

func (o *Options) templateVersion() string {
	if o.TemplateVersion != "" {
		return o.TemplateVersion
	}
	return templates.Version
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// Render renders every file of the repository but go.sum and the lock
// file, which only exist once modules are resolved. It checks the options
// first and fills in their defaults.
func Render(o *Options) (filetree.Tree, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	fsys := o.templates()
	r, err := render.New(fsys)
	if err != nil {
		return nil, err
	}
	data, err := newData(o)
	if err != nil {
		return nil, err
	}
	data.ScaffoldCommand, data.ScaffoldVersion = Command, o.ScaffoldVersion
	data.GolangciLintVersion = GolangciLintVersion
	data.SharedModules = SharedModules(o.manifests()...)
	for _, m := range o.manifests() {
		jobs, unbuilt := ciJobs(m, o.Libc)
		data.CI = append(data.CI, jobs...)
		for _, u := range unbuilt {
			if !slices.Contains(data.CIUnbuilt, u) {
				data.CIUnbuilt = append(data.CIUnbuilt, u)
			}
		}
	}
	data.LatestManifest = o.Manifest.Host.Latest
	data.Actions = map[string]string{}
	for name, a := range Actions {
		data.Actions[name] = a.Uses()
	}
	data.HostReleases, data.Releases, data.Dropped, data.Matrix = o.hostReleases(), o.releaseData(), o.Dropped, o.matrix()
	tree := filetree.Tree{}
	for _, f := range plan(o) {
		if o.Targets != nil && strings.HasSuffix(f.path, ".go") {
			files, err := o.renderAcross(r, fsys, f, data)
			if err != nil {
				return nil, err
			}
			maps.Copy(tree, files)
			continue
		}
		d := *data
		if f.libc != "" {
			d.Family, d.Images = f.libc, o.images(f.libc)
			if d.Builder, err = d.Images.BuilderFamily(f.libc); err != nil {
				return nil, fmt.Errorf("libc.%s.family: %w", f.libc, err)
			}
		}
		out, err := r.Render(f.template, &d)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(f.path, ".go") {
			if out, err = FormatGo(f.path, out); err != nil {
				return nil, err
			}
		}
		src, err := fs.ReadFile(fsys, f.template)
		if err != nil {
			return nil, fmt.Errorf("reading template %s: %w", f.template, err)
		}
		if err := CheckDirectives(f.path, out, src); err != nil {
			return nil, err
		}
		tree[f.path] = out
	}
	return tree, o.modFiles(tree)
}

// A planned file is one output of one template.
type planned struct {
	path, template string
	libc           string // for per-libc files
}

func plan(o *Options) []planned {
	files := []planned{
		{path: ".dockerignore", template: "dockerignore.tmpl"},
		{path: ".editorconfig", template: "editorconfig.tmpl"},
		{path: ".github/dependabot.yml", template: "github/dependabot.yml.tmpl"},
		{path: ".github/workflows/ci.yml", template: "github/workflows/ci.yml.tmpl"},
		{path: ".gitignore", template: "gitignore.tmpl"},
		{path: ".golangci.yml", template: "golangci.yml.tmpl"},
		{path: "BUILD.md", template: "BUILD.md.tmpl"},
		{path: "Makefile", template: "Makefile.tmpl"},
		{path: "README.md", template: "README.md.tmpl"},
		{path: "_loadtest/main.go", template: "loadtest/main.go.tmpl"},
		{path: "plugin.go", template: "plugin.go.tmpl"},
		{path: "plugin_test.go", template: "plugin_test.go.tmpl"},
		{path: "renovate.json", template: "renovate.json.tmpl"},
	}
	for _, l := range o.Libc {
		files = append(files, planned{path: "Dockerfile." + l, template: "Dockerfile.tmpl", libc: l})
	}
	if o.License != "" {
		files = append(files, planned{path: "LICENSE", template: "licenses/" + o.License + ".tmpl"})
	}
	return files
}

// Data is what templates see.
type Data struct {
	Name    string
	Module  string
	Version string
	Libc    []string
	M       *manifest.Manifest
	Hooks   *hooks.Set
	// Type is the name of the type implementing the contract.
	Type string
	// Receiver is the receiver name of its methods.
	Receiver string
	// Snippet is the manifest's registration snippet for this plugin,
	// naming the first libc's artifact.
	Snippet string
	// Registrations are the artifact and snippet of each libc;
	// SnippetPerLibc is set when the snippets differ, as when they name
	// the artifact.
	Registrations  []Registration
	SnippetPerLibc bool
	// NamedFile is the file name the registration snippet gives the
	// plugin, NAME.so, or "" when it gives none.
	NamedFile string
	// RunCommand is the manifest's registration.run, as one line.
	RunCommand string
	// Handlers are the handlers' names, for a handlers contract.
	Handlers []string
	// Lookups are the names the host looks up in the plugin.
	Lookups []string
	// Artifact is the file name of a build for the first architecture and
	// libc; ArtifactMake is the same pattern in Makefile variables, the
	// architecture, the libc and the host release a function's arguments, and
	// ArtifactDoc with the varying parts in capitals, for the docs.
	Artifact, ArtifactMake, ArtifactDoc string
	// GoLine is the go line of go.mod and go.work.
	GoLine string
	// HostModCacheDir is where the module cache keeps the host's module
	// at host.source.version, relative to the cache, for a host whose
	// source the module proxy serves.
	HostModCacheDir string
	// Pins are the host's modules a plugin may share, as path@version.
	Pins []string
	// ScaffoldCommand and ScaffoldVersion are the scaffold command to
	// install or run and the version this repository pins it at.
	ScaffoldCommand, ScaffoldVersion string
	// GolangciLintVersion is the golangci-lint release make lint runs.
	GolangciLintVersion string
	// CI is the generated workflow's matrix; CIUnbuilt the architectures
	// and libcs the plugin ships that no cell builds, as GOARCH/LIBC.
	CI        []CIJob
	CIUnbuilt []string
	// Actions are the workflow's actions by name, each as uses: takes it.
	Actions map[string]string
	// LatestManifest is where the host publishes its newest manifest, if
	// it says.
	LatestManifest string
	// SharedModules are the paths of the modules the host shares with its
	// plugins, which no dependency bot may move: the SDK and the host's
	// build list, sorted.
	SharedModules []string
	// Family and Images are set for per-libc files, and Builder is then
	// the builder image's family (manifest.Debian or manifest.Alpine).
	Family  string
	Images  *manifest.Images
	Builder string
	// Cross are the cross toolchains of the host's architectures.
	Cross []Cross
	// ReleasesDir is where the module files of releases other than the
	// newest are.
	ReleasesDir string
	// HostReleases names the host releases the plugin is built for:
	// "gateway v1.0.0", or "gateway v0.9.0 and v1.0.0".
	HostReleases string
	// Releases are the host releases of a repository built for several,
	// oldest first; nil for one built for a single release, whose M says
	// everything.
	Releases []Release
	// Dropped are the releases it was built for and no longer is.
	Dropped []lock.Dropped
	// Matrix is the docs' table of the host releases the plugin versions
	// are built for, newest first.
	Matrix []MatrixRow
	// Copyright names the holders in LICENSE: the plugin's authors, with
	// no year, so that the same answers give the same bytes.
	Copyright string
}

func newData(o *Options) (*Data, error) {
	m := o.Manifest
	typ := typeName(o.Name, &m.Contract)
	hs, err := hooks.New(&m.Contract, hooks.Options{Type: typ, Optional: o.Optional, Handlers: o.Handlers, Proof: o.Proof, Module: o.Module})
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	pattern := m.Registration.Artifact
	if pattern == "" {
		pattern = manifest.DefaultArtifact
	}
	artifactDoc := fillArtifact(pattern, map[string]string{
		"name": o.Name, "version": "VERSION", "host": m.Host.Name, "hostVersion": m.Host.Version,
		"goos": "GOOS", "goarch": "GOARCH", "libc": "LIBC",
	})
	// The Makefile's ARTIFACT_OF, called with the architecture, the libc
	// and the host release.
	artifactMake := fillArtifact(pattern, map[string]string{
		"name": "$(PLUGIN)", "version": "$(VERSION)", "host": "$(HOST_NAME)", "hostVersion": "$(3)",
		"goos": "$(GOOS)", "goarch": "$(1)", "libc": "$(2)",
	})
	var regs []Registration
	perLibc := false
	for _, libc := range o.Libc {
		file := fillArtifact(pattern, map[string]string{
			"name": o.Name, "version": o.Version, "host": m.Host.Name, "hostVersion": m.Host.Version,
			"goos": m.Build.GOOS, "goarch": m.Build.GOARCH[0], "libc": libc,
		})
		snip, err := m.Registration.SnippetFor(o.Name, file, o.Handlers)
		if err != nil {
			return nil, fmt.Errorf("registration.snippet: %w", err)
		}
		perLibc = perLibc || (len(regs) > 0 && snip != regs[0].Snippet)
		regs = append(regs, Registration{Libc: libc, Artifact: file, Snippet: snip})
	}
	// The first libc's build is the one the docs name where one will do.
	artifact, snippet := regs[0].Artifact, regs[0].Snippet
	return &Data{
		Name:            o.Name,
		Module:          o.Module,
		Version:         o.Version,
		Libc:            o.Libc,
		M:               m,
		Hooks:           hs,
		Type:            typ,
		Receiver:        hooks.Receiver,
		Snippet:         snippet,
		NamedFile:       m.Registration.NamedFile(o.Name),
		RunCommand:      strings.Join(m.Registration.Run, " "),
		Registrations:   regs,
		SnippetPerLibc:  perLibc,
		Handlers:        o.Handlers,
		Lookups:         append(append(m.Contract.LookupSymbols(), o.Optional...), o.Handlers...),
		Artifact:        artifact,
		ArtifactMake:    artifactMake,
		ArtifactDoc:     artifactDoc,
		GoLine:          versions.GoLine(m.Go),
		HostModCacheDir: hostModCacheDir(m),
		Copyright:       "The " + o.Name + " authors",
		Pins:            gomod.Pins(m),
		Cross:           crosses(m.Build.GOARCH),
		ReleasesDir:     target.Dir,
	}, nil
}

// hostModCacheDir is the module cache's directory of the host's module at
// the version the module proxy serves its source at, relative to the
// cache; "" when the manifest names a repository to clone instead.
func hostModCacheDir(m *manifest.Manifest) string {
	src := m.Host.Source
	if src == nil || src.Version == "" || src.Repository != "" {
		return ""
	}
	// Validated: both escape.
	p, _ := module.EscapePath(m.Host.Module)
	v, _ := module.EscapeVersion(src.Version)
	return p + "@" + v
}

// A Registration is what registering a build for one libc takes: the
// artifact's file name and the manifest's snippet filled in for it.
type Registration struct {
	Libc, Artifact, Snippet string
}

// typeName turns "hello-world" into "helloWorld", avoiding names the
// generated file or its imports already use.
func typeName(name string, k *manifest.Contract) string {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' })
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	t := strings.Join(parts, "")
	taken := token.IsKeyword(t) || t == k.Symbol || t == "main" || hooks.Reserved(t)
	for _, imp := range k.Imports {
		taken = taken || imp.PackageName() == t
	}
	if taken {
		t += "Plugin"
	}
	return t
}

// fillArtifact fills an artifact name pattern's fields.
func fillArtifact(pattern string, values map[string]string) string {
	var pairs []string
	for _, f := range manifest.ArtifactFields {
		pairs = append(pairs, "{"+f+"}", values[f])
	}
	return strings.NewReplacer(pairs...).Replace(pattern)
}
