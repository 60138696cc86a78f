package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/prompt"
	"github.com/scaffold-dev/scaffold/internal/target"
	"github.com/scaffold-dev/scaffold/templates"
)

// newOptions are the flags of scaffold new.
type newOptions struct {
	name         string
	manifestFile string
	// more are the manifests of the other host releases to build for,
	// after the first --manifest.
	more     []string
	module   string
	out      string
	libc     []string
	version  string
	requires []string
	offline  bool
	noGit    bool
	quiet    bool
	yes      bool
	// libcSet tells an empty --libc (refused: none chosen) from no --libc
	// (every family the manifest ships).
	libcSet bool
	// hooks and handlers answer what the contract leaves to the author;
	// hooksSet tells an empty --hooks (none) from no --hooks (all).
	hooks    []string
	hooksSet bool
	handlers []string
	derive   deriveFlags
	log      io.Writer
	// fromLock is a scaffold.lock to regenerate from.
	fromLock string
	license  string

	manifest *manifest.Manifest
	// manifestSource is where a fetched manifest came from, with its
	// digest; empty for a file.
	manifestSource string
	// targets are every release, when --manifest is given more than
	// once: manifest is then the newest.
	targets []lock.Target
	ctx     context.Context
}

// loadManifest reads the manifest once, for the questions and the checks
// that depend on it.
func (o *newOptions) loadManifest() (*manifest.Manifest, error) {
	if o.manifest == nil {
		ctx := o.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		if o.derive.given() {
			m, err := o.derive.manifest(ctx, o.log)
			if err != nil {
				return nil, err
			}
			o.manifest = m
			return m, nil
		}
		m, source, err := readManifest(ctx, o.manifestFile)
		if err != nil {
			return nil, err
		}
		o.manifest, o.manifestSource = m, source
		if len(o.more) > 0 {
			if err := o.loadTargets(ctx); err != nil {
				o.manifest = nil
				return nil, err
			}
		}
	}
	return o.manifest, nil
}

// loadTargets reads the manifests of the other releases and orders them
// all: the newest is the one the questions and checks are about.
func (o *newOptions) loadTargets(ctx context.Context) error {
	o.targets = []lock.Target{{Manifest: o.manifest, ManifestSource: o.manifestSource}}
	for _, file := range o.more {
		m, source, err := readManifest(ctx, file)
		if err != nil {
			return err
		}
		o.targets = append(o.targets, lock.Target{Manifest: m, ManifestSource: source})
	}
	ms := make([]*manifest.Manifest, len(o.targets))
	for i, t := range o.targets {
		ms[i] = t.Manifest
	}
	if err := target.Sort(ms); err != nil {
		return fmt.Errorf("--manifest: %w", err)
	}
	slices.SortStableFunc(o.targets, func(a, b lock.Target) int {
		return slices.Index(ms, a.Manifest) - slices.Index(ms, b.Manifest)
	})
	newest := o.targets[len(o.targets)-1]
	o.manifest, o.manifestSource = newest.Manifest, newest.ManifestSource
	return nil
}

func newNewCmd() *cobra.Command {
	var o newOptions
	var manifests []string
	cmd := &cobra.Command{
		Use:   "new NAME --manifest MANIFEST [--manifest MANIFEST...] --module PATH",
		Short: "Write a new plugin repository for a host release",
		Long: `new writes a plugin repository built exactly like the host release the
manifest describes: go.mod pinned to the host's Go release and module versions,
a Makefile with the host's flags, Dockerfiles for each libc, BUILD.md, hook code
implementing the host's plugin interface, and scaffold.lock.

At a terminal, answers not given as flags are asked for. With --yes, or with no
terminal, nothing is asked and missing answers are an error.

For a host that publishes no manifest, --from-binary makes it from the host's
binary as scaffold manifest does, in memory, and records it in scaffold.lock as
a manifest file would be.

With --manifest given once for each of several releases of the host, the
repository is built for all of them: each release gets its own module file
(go.mod for the newest, releases/VERSION/go.mod for the others), its own
facts in the Makefile (make build RELEASE=VERSION), and, where the releases'
contracts differ, its own declarations in files whose build constraint
selects it; the code they share is written once. scaffold target add and
scaffold target remove change the releases later.

--from-lock FILE regenerates the pristine tree a scaffold.lock records, with its
manifest and answers, into --out (default ./NAME): the files as generated,
to diff against the author's. It needs the templates the lock was written
with, this scaffold's; the lock's answers replace every answer flag.`,
		Example: `  scaffold new hello-world --manifest gateway.manifest.yaml \
      --module example.com/hello-world --libc glibc,musl --yes
  scaffold new hello-world --from-binary ./gateway --host-source ../gateway \
      --module example.com/hello-world --yes
  scaffold new hello-world --manifest gateway-v0.9.0.manifest.yaml \
      --manifest gateway-v1.0.0.manifest.yaml --module example.com/hello-world --yes
  scaffold new --from-lock hello-world/scaffold.lock --out /tmp/pristine`,
		Args: optionalArg("NAME", "plugin name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.name = args[0]
			}
			o.hooksSet = cmd.Flags().Changed("hooks")
			o.libcSet = cmd.Flags().Changed("libc")
			o.ctx = cmd.Context()
			o.log = stepLog(cmd, o.quiet)
			if len(manifests) > 0 {
				o.manifestFile, o.more = manifests[0], manifests[1:]
			}
			if o.fromLock != "" {
				return runFromLock(cmd, &o)
			}
			if err := o.derive.check(o.manifestFile != ""); err != nil {
				return err
			}
			interactive := !o.yes && prompt.IsTerminal(os.Stdin) && prompt.IsTerminal(os.Stdout)
			var ask *prompt.Asker
			if interactive {
				ask = prompt.New(cmd.Context(), os.Stdin, os.Stdout, os.Stderr)
			}
			return runNew(cmd, &o, ask)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&manifests, "manifest", nil, "host release `manifest` (YAML or JSON): a file, or an https:// URL, pinned with #sha256=HEX; once for each release to build for")
	f.StringVar(&o.module, "module", "", "module `path` of the new plugin")
	f.StringVar(&o.out, "out", "", "`directory` to create (default ./NAME)")
	f.StringSliceVar(&o.libc, "libc", nil, "libc `families` to build for: glibc, musl (default: all the manifest ships)")
	f.StringVar(&o.version, "plugin-version", generator.DefaultVersion, "the plugin's own `version`")
	f.StringArrayVar(&o.requires, "require", nil, "a module the plugin needs, as `path@version` (repeatable)")
	f.BoolVar(&o.offline, "offline", false, "skip downloading modules; go.sum is completed later with make tidy")
	f.BoolVar(&o.noGit, "no-git", false, "do not make the new directory a git repository with a first commit")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no steps and no progress on standard error, only errors")
	f.StringSliceVar(&o.hooks, "hooks", nil, "optional `symbols` to implement, for a host that looks up a symbol set (default: all; --hooks= for none)")
	f.StringSliceVar(&o.handlers, "handlers", nil, "`names` of the handlers to write, for a host that calls handlers by name")
	f.BoolVarP(&o.yes, "yes", "y", false, "never ask: take defaults, and fail on missing answers")
	f.StringVar(&o.license, "license", "", "the `SPDX-ID` of the license LICENSE gives the plugin: "+strings.Join(generator.Licenses(templates.FS()), ", ")+" (default: none, no LICENSE)")
	f.StringVar(&o.fromLock, "from-lock", "", "regenerate the pristine tree the `lock` file records, with its manifest and answers")
	o.derive.register(f, "with --from-binary: ")
	return cmd
}

// runNew asks for what is missing when ask is not nil, checks every
// answer, and generates.
func runNew(cmd *cobra.Command, o *newOptions, ask *prompt.Asker) error {
	if ask != nil {
		if err := o.ask(ask); err != nil {
			return err
		}
	}
	var m *manifest.Manifest
	var missing []string
	if o.name == "" {
		missing = append(missing, "NAME (the first argument)")
	}
	if o.manifestFile == "" && !o.derive.given() {
		missing = append(missing, "--manifest (or --from-binary)")
	} else {
		var err error
		if m, err = o.loadManifest(); err != nil {
			return err
		}
	}
	if o.module == "" {
		missing = append(missing, "--module")
	}
	if m != nil && m.Contract.Kind == manifest.KindHandlers && len(o.handlers) == 0 {
		missing = append(missing, "--handlers")
	}
	if len(missing) > 0 {
		return usage(fmt.Sprintf("missing %s: give %s on the command line, or run at a terminal without --yes to be asked", strings.Join(missing, ", "), plural(len(missing), "it", "them")))
	}
	if err := generator.CheckName(o.name); err != nil {
		return fmt.Errorf("NAME: %w", err)
	}
	if err := generator.CheckModule(o.module); err != nil {
		return fmt.Errorf("--module: %w", err)
	}
	if err := generator.CheckModuleOwn(o.module, m); err != nil {
		return fmt.Errorf("--module: %w", err)
	}
	if err := generator.CheckVersion(o.version); err != nil {
		return fmt.Errorf("--plugin-version: %w", err)
	}
	reqs, err := parseRequires(o.requires)
	if err != nil {
		return err
	}
	if o.out == "" {
		// The directory is the plugin's name: the error is about NAME,
		// which was given, not --out, which was not.
		if err := filetree.CheckTarget(o.name); err != nil {
			return fmt.Errorf("NAME: %w: choose another name, or another directory with --out", err)
		}
		o.out = o.name
	} else if err := filetree.CheckTarget(o.out); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	libc := o.libc
	if !o.libcSet {
		libc = m.Libc.Families()
		// Every release must ship what the plugin is built for.
		for _, t := range o.targets {
			libc = slices.DeleteFunc(libc, func(l string) bool { return t.Manifest.Libc.Images(l) == nil })
		}
	}
	optional := o.hooks
	if !o.hooksSet {
		optional = m.Contract.Optional()
	}
	gen := generator.Options{
		Name:     o.name,
		Module:   o.module,
		Version:  o.version,
		Libc:     libc,
		Requires: reqs,
		Optional: optional,
		Handlers: o.handlers,
		License:  o.license,
		Manifest: m,
		Targets:  o.targets,
		Offline:  o.offline,
		Git:      !o.noGit,
		Log:      stepLog(cmd, o.quiet),
		Progress: meter(o.quiet),

		ManifestSource: o.manifestSource,
	}
	if o.targets == nil {
		writeSettings(cmd.OutOrStdout(), m)
	}
	for _, t := range o.targets {
		writeSettings(cmd.OutOrStdout(), t.Manifest)
	}
	if ask != nil {
		// At a terminal, what will be written is shown, and asked about
		// once, before anything is.
		ok, err := confirmNew(cmd.OutOrStdout(), ask, gen, o.out)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintf(cmd.OutOrStdout(), "nothing written\n")
			return nil
		}
	}
	res, err := generator.Generate(cmd.Context(), gen, o.out)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	if o.targets != nil {
		var rel []string
		for _, t := range o.targets {
			rel = append(rel, fmt.Sprintf("%s (Go %s)", t.Manifest.Host.Version, t.Manifest.Go))
		}
		fmt.Fprintf(w, "created %s for %s %s:\n", res.Dir, m.Host.Name, strings.Join(rel, ", "))
	} else {
		fmt.Fprintf(w, "created %s for %s %s (Go %s):\n", res.Dir, m.Host.Name, m.Host.Version, m.Go)
	}
	for _, f := range res.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	// Offline, go.sum is incomplete and a build would fail on it: the
	// next command is the one that completes it.
	next := "make build && make test"
	if o.offline && !m.SDKIsHost() {
		next = "make tidy && " + next
	}
	fmt.Fprintf(w, "next: cd %s && %s\n", o.out, next)
	return nil
}

// runFromLock regenerates what a lock records: its manifest, its answers,
// the templates it names, which must be this scaffold's. The result is
// the generation as recorded, byte for byte; a file that comes out
// otherwise (go.mod, when a module the plugin requires resolves anew) is
// named.
func runFromLock(cmd *cobra.Command, o *newOptions) error {
	for _, name := range []string{"manifest", "module", "libc", "plugin-version", "require", "hooks", "handlers", "license", "from-binary", "from-image", "base", "host-source", "host-version", "contract", "binary-path"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			return usage(fmt.Sprintf("--from-lock and --%s: the lock's answers and manifest are the generation's", name))
		}
	}
	l, err := lock.Read(o.fromLock)
	if err != nil {
		return fmt.Errorf("--from-lock: %w", err)
	}
	if l.TemplateVersion != templates.Version {
		return fmt.Errorf("--from-lock %s: it records templates %s, and this scaffold writes templates %s: regenerate it with the scaffold that wrote it (SCAFFOLD_VERSION in the repository's Makefile), or see what the templates change with scaffold upgrade --dry-run in the repository", o.fromLock, l.TemplateVersion, templates.Version)
	}
	a := l.Answers
	if o.name != "" && o.name != a.Name {
		return usage(fmt.Sprintf("NAME %s: --from-lock regenerates %s, the name the lock records", o.name, a.Name))
	}
	reqs, err := a.Requirements()
	if err != nil {
		return fmt.Errorf("--from-lock %s: %w", o.fromLock, err)
	}
	out := o.out
	if out == "" {
		out = a.Name
	}
	if err := filetree.CheckTarget(out); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	res, err := generator.Generate(cmd.Context(), generator.Options{
		Name:     a.Name,
		Module:   a.Module,
		Version:  a.Version,
		Libc:     a.Libc,
		Requires: reqs,
		Optional: a.Hooks,
		Handlers: a.Handlers,
		License:  a.License,
		Manifest: l.Manifest,
		Targets:  l.Targets,
		Dropped:  l.Dropped,
		Offline:  o.offline,
		Git:      !o.noGit,
		Log:      stepLog(cmd, o.quiet),
		Progress: meter(o.quiet),

		ManifestSource: l.ManifestSource,
	}, out)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "regenerated %s from %s: %s %s, templates %s\n", res.Dir, o.fromLock, l.Manifest.Host.Name, l.Manifest.Host.Version, l.TemplateVersion)
	var differ []string
	for _, p := range filetree.Tree(l.Files).Paths() {
		data, err := input.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(p)), input.LockLimit)
		if err != nil || !bytes.Equal(data, l.Files[p]) {
			differ = append(differ, p)
		}
	}
	if len(differ) > 0 {
		why := ""
		if o.offline {
			why = " (--offline: make tidy there completes go.mod)"
		}
		fmt.Fprintf(w, "note: %s differ from the files the lock records%s\n", strings.Join(differ, ", "), why)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// confirmNew shows what scaffold new will write, with the answers it was
// given, and asks once whether to write it.
func confirmNew(w io.Writer, ask *prompt.Asker, gen generator.Options, out string) (bool, error) {
	tree, err := generator.Render(&gen)
	if err != nil {
		return false, err
	}
	m := gen.Manifest
	files := append(tree.Paths(), "go.sum", lock.FileName)
	slices.Sort(files)
	fmt.Fprintf(w, "scaffold new will write %s:\n", out)
	row := func(k, v string) { fmt.Fprintf(w, "  %-10s %s\n", k, v) }
	row("plugin", fmt.Sprintf("%s %s, module %s", gen.Name, gen.Version, gen.Module))
	row("host", fmt.Sprintf("%s %s (%s, %s/%s)", m.Host.Name, m.Host.Version, m.Go, m.Build.GOOS, strings.Join(m.Build.GOARCH, ",")))
	row("libc", strings.Join(gen.Libc, ", "))
	if len(gen.Optional) > 0 {
		row("hooks", strings.Join(gen.Optional, ", "))
	}
	if len(gen.Handlers) > 0 {
		row("handlers", strings.Join(gen.Handlers, ", "))
	}
	license := gen.License
	if license == "" {
		license = "none (--license SPDX-ID writes LICENSE)"
	}
	row("license", license)
	if len(gen.Requires) > 0 {
		var reqs []string
		for _, r := range gen.Requires {
			reqs = append(reqs, r.Path+"@"+r.Version)
		}
		row("requires", strings.Join(reqs, ", "))
	}
	row("files", strings.Join(files, " "))
	switch {
	case gen.Manifest.SDKIsHost():
	case gen.Offline:
		row("modules", "not downloaded (--offline): make tidy completes go.sum")
	default:
		row("modules", "resolved with "+m.Go+", which is downloaded when it is not here")
	}
	if gen.Git {
		row("git", "a new repository, with one commit of every file")
	}
	return ask.Confirm("Write it?", "answer no to leave everything as it is", true)
}

// writeSettings shows, once, the settings the manifest gives that decide
// where modules come from, which of them are verified and how the code
// compiles: the author is trusting the manifest's writer with them.
func writeSettings(w io.Writer, m *manifest.Manifest) {
	settings := m.Settings()
	if len(settings) == 0 {
		fmt.Fprintf(w, "the %s %s manifest sets no module proxy, checksum or compiler setting\n", m.Host.Name, m.Host.Version)
		return
	}
	fmt.Fprintf(w, "settings from the %s %s manifest, recorded in %s:\n", m.Host.Name, m.Host.Version, lock.FileName)
	for _, s := range settings {
		fmt.Fprintf(w, "  %-22s %s\n", s.Field, s.Value)
	}
}

func parseRequires(specs []string) ([]module.Version, error) {
	var reqs []module.Version
	for _, s := range specs {
		path, v, ok := strings.Cut(s, "@")
		if !ok || path == "" || v == "" {
			return nil, fmt.Errorf("--require %q: write it as path@version", s)
		}
		if err := module.Check(path, v); err != nil {
			// The argument is named once: module's error would repeat it.
			var ve *module.InvalidVersionError
			if errors.As(err, &ve) && ve.Err != nil {
				return nil, fmt.Errorf("--require %q: version %q: %w: give an exact version, such as v1.2.0", s, v, ve.Err)
			}
			var me *module.ModuleError
			if errors.As(err, &me) && me.Err != nil {
				return nil, fmt.Errorf("--require %q: %w", s, me.Err)
			}
			return nil, fmt.Errorf("--require %q: %w", s, err)
		}
		reqs = append(reqs, module.Version{Path: path, Version: v})
	}
	return reqs, nil
}

// ask fills the answers that flags left out.
func (o *newOptions) ask(a *prompt.Asker) error {
	var err error
	if o.manifestFile == "" && !o.derive.given() {
		// The manifest that passes is the one the command goes on with:
		// a URL is fetched once, and an interrupt cancels the fetch.
		o.manifestFile, err = a.Input("Host release manifest:", "the manifest the host publishes with each release (YAML or JSON)", "", func(s string) error {
			o.manifestFile, o.manifest = s, nil
			_, err := o.loadManifest()
			return err
		})
		if err != nil {
			return err
		}
	}
	if o.name == "" {
		if o.name, err = a.Input("Plugin name:", "lower-case letters and digits, separated by - or _", "", generator.CheckName); err != nil {
			return err
		}
	}
	if o.module == "" {
		m, err := o.loadManifest()
		if err != nil {
			return err
		}
		own := func(path string) error {
			if err := generator.CheckModule(path); err != nil {
				return err
			}
			return generator.CheckModuleOwn(path, m)
		}
		if o.module, err = a.Input("Module path:", "the plugin's Go module path", "example.com/"+o.name, own); err != nil {
			return err
		}
	}
	m, err := o.loadManifest()
	if err != nil {
		return err
	}
	if fams := m.Libc.Families(); !o.libcSet && len(fams) > 1 {
		if o.libc, err = a.MultiSelect("Build for libc:", "the host's C library; pick every one your users run the host on", fams, fams); err != nil {
			return err
		}
		o.libcSet = true
	}
	if opt := m.Contract.Optional(); !o.hooksSet && len(opt) > 0 {
		if o.hooks, err = a.MultiSelect("Optional hooks to implement:", "the host calls each one only when the plugin exports it", opt, opt); err != nil {
			return err
		}
		o.hooksSet = true
	}
	if m.Contract.Kind == manifest.KindHandlers && len(o.handlers) == 0 {
		names, err := a.Input("Handler names (comma-separated):", "the host's configuration will call each by this name; exported Go identifiers", "Hello", checkHandlerList)
		if err != nil {
			return err
		}
		o.handlers = splitList(names)
	}
	if o.out == "" {
		if o.out, err = a.Input("Directory:", "where to create the repository; it must not exist or be empty", filepath.Join(".", o.name), filetree.CheckTarget); err != nil {
			return err
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func checkHandlerList(s string) error {
	names := splitList(s)
	if len(names) == 0 {
		return fmt.Errorf("name at least one handler")
	}
	for _, n := range names {
		if err := generator.CheckHandlerName(n); err != nil {
			return err
		}
	}
	return nil
}
