// Package pins holds a plugin's build to its host's module versions, as the
// generated Makefile asks before every build (scaffold pins), after go mod
// tidy (scaffold pins --tidy) and around go get (scaffold pins --get).
//
// plugin.Open compares one hash per package that the host and the plugin
// both link, so a module matters only through the packages compiled from
// it. Every module from which the plugin's build compiles a package, and
// which the host builds too, must therefore be at the host's version, from
// the same source: not a workspace's, not another replacement than the
// host's. A module that is only in the plugin's module graph (a
// dependency's go.mod names it, no package of it is compiled) cannot matter
// and is left alone. scaffold new, scaffold upgrade and scaffold check
// --manifest apply the same rule.
//
// The host's versions are read from the manifest scaffold.lock records, not
// from the Makefile: a real host's build list runs to hundreds of modules,
// more than a command line or an awk program should carry.
package pins

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/gomod"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/target"
)

// A Build is a plugin's build as its Makefile runs it: the repository, the
// host's release, and the environment the Makefile exports (toolchain,
// GOOS, GOARCH, cgo, GOFLAGS, GOWORK, proxy settings), which every go
// command here runs with.
type Build struct {
	Dir      string
	Env      []string
	Manifest *manifest.Manifest
	// ModFile is the build's module file, relative to Dir: "" for go.mod;
	// in a repository built for several host releases, an older release's
	// own (go command's -modfile), with its go.sum beside it.
	ModFile string
	// Tags are the build tags, when not the host's alone: in a repository
	// built for several releases, the host's and the release's own.
	Tags []string
	// Out receives what was done and found; Err each module the host would
	// refuse, one a line, so that a script or a reader finds them.
	Out, Err io.Writer
}

// A Package is one package of the plugin's build, as go list tells it.
type Package struct {
	ImportPath string
	Name       string
	Standard   bool
	Module     *Module
}

// A Module is the module a package comes from. Main is set for the
// plugin's own module and for every module of a workspace, whose source
// is a directory, not a published version.
type Module struct {
	Path    string
	Version string
	Main    bool
	Replace *Module
}

// Deps lists the packages the plugin's package main and everything it
// imports are compiled from, with the host's build tags: a tag can bring
// in a package, and with it a module. It reads; it compiles nothing.
func (b *Build) Deps(ctx context.Context) ([]Package, error) {
	args := append([]string{"list"}, b.modFlags()...)
	args = append(args, "-deps", "-json=ImportPath,Name,Standard,Module")
	if tags := b.tags(); len(tags) > 0 {
		args = append(args, "-tags="+strings.Join(tags, ","))
	}
	out, err := b.Runner().Run(ctx, append(args, ".")...)
	if err != nil {
		return nil, fmt.Errorf("listing the plugin's packages: %w", err)
	}
	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p Package
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("listing the plugin's packages: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// Runner runs the go command as the build does: in its directory, with its
// environment.
func (b *Build) Runner() *gocmd.Runner {
	return &gocmd.Runner{Dir: b.Dir, Env: b.Env}
}

func (b *Build) tags() []string {
	if b.Tags != nil {
		return b.Tags
	}
	return b.Manifest.Build.Tags
}

// GoMod is the build's module file, relative to Dir.
func (b *Build) GoMod() string {
	if b.ModFile == "" {
		return "go.mod"
	}
	return b.ModFile
}

// GoSum is the go.sum beside [Build.GoMod], where the go command keeps it.
func (b *Build) GoSum() string {
	return target.SumFile(b.GoMod())
}

// modFlags are the go command's flags selecting the module file: none
// for go.mod.
func (b *Build) modFlags() []string {
	if b.GoMod() == "go.mod" {
		return nil
	}
	return []string{"-modfile=" + b.GoMod()}
}

// host returns the modules the host builds, by path, as the plugin must
// build them.
func (b *Build) host() map[string]manifest.Module {
	m := b.Manifest
	replaces := map[string]*manifest.Module{}
	for _, mod := range m.Modules {
		replaces[mod.Path] = mod.Replace
	}
	out := map[string]manifest.Module{}
	for _, v := range gomod.HostModules(m) {
		out[v.Path] = manifest.Module{Path: v.Path, Version: v.Version, Replace: replaces[v.Path]}
	}
	return out
}

func (b *Build) release() string {
	return b.Manifest.Host.Name + " " + b.Manifest.Host.Version
}

// A Mismatch is a module the plugin compiles from a version or a source
// other than the host's.
type Mismatch struct {
	Path string
	// Plugin is the version the plugin's build compiles, "(devel)" for a
	// workspace's source; Host the host's.
	Plugin, Host string
	// Why says how the source differs, with the fix.
	Why string
	// Repin tells whether requiring the host's version is the fix.
	Repin bool
}

func (m Mismatch) String() string { return m.Path + " " + m.Plugin + ": " + m.Why }

// compare holds the compiled modules of pkgs to the host's; it returns
// how many of the host's modules the plugin compiles, and the mismatches
// sorted by path.
func (b *Build) compare(pkgs []Package) (shared int, bad []Mismatch) {
	host := b.host()
	seen := map[string]bool{}
	for _, p := range pkgs {
		mod := p.Module
		if mod == nil || seen[mod.Path] {
			continue
		}
		seen[mod.Path] = true
		want, ok := host[mod.Path]
		if !ok {
			continue
		}
		shared++
		rel := b.release()
		switch {
		case mod.Main:
			bad = append(bad, Mismatch{Path: mod.Path, Plugin: "(devel)", Host: want.Version,
				Why: fmt.Sprintf("compiled from a workspace's source, but %s builds %s, and would refuse the plugin: build without go.work (GOWORK=off)", rel, want.Version)})
		case mod.Version != want.Version:
			bad = append(bad, Mismatch{Path: mod.Path, Plugin: mod.Version, Host: want.Version, Repin: true,
				Why: fmt.Sprintf("%s builds %s, and would refuse the plugin: make get MODULE=%s@%s", rel, want.Version, mod.Path, want.Version)})
		case !sameReplace(mod.Replace, want.Replace):
			bad = append(bad, Mismatch{Path: mod.Path, Plugin: mod.Version, Host: want.Version,
				Why: fmt.Sprintf("%s, but %s builds %s, and would refuse the plugin: %s", pluginSource(mod.Replace), rel, hostSource(want.Replace), fixReplace(mod.Path, want.Replace))})
		}
	}
	sort.Slice(bad, func(i, j int) bool { return bad[i].Path < bad[j].Path })
	return shared, bad
}

func sameReplace(plugin *Module, host *manifest.Module) bool {
	if plugin == nil || host == nil {
		return plugin == nil && host == nil
	}
	return plugin.Path == host.Path && plugin.Version == host.Version
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// pluginSource and hostSource say where a module's source comes from.
func pluginSource(r *Module) string {
	if r == nil {
		return "not replaced"
	}
	return "replaced by " + strings.TrimSpace(r.Path+" "+r.Version)
}

func hostSource(r *manifest.Module) string {
	if r == nil {
		return "it as published"
	}
	return "it replaced by " + strings.TrimSpace(r.Path+" "+r.Version)
}

func fixReplace(path string, host *manifest.Module) string {
	if host == nil {
		return "remove the replace directive of " + path + " from go.mod"
	}
	return fmt.Sprintf("replace it as the host does: go mod edit -replace=%s=%s@%s", path, host.Path, host.Version)
}

// ErrRefused is the error of a build the host would refuse; the modules
// are written to [Build.Err] before it is returned.
var ErrRefused = errors.New("the host would refuse the plugin")

// Check holds the build to the host's versions: it says how many of the
// host's modules the plugin compiles, or writes each one the host would
// refuse and fails.
func (b *Build) Check(ctx context.Context) error {
	pkgs, err := b.Deps(ctx)
	if err != nil {
		return err
	}
	shared, bad := b.compare(pkgs)
	if len(bad) > 0 {
		for _, m := range bad {
			fmt.Fprintln(b.Err, m)
		}
		return fmt.Errorf("pins: %s: %w (%d %s above)", b.release(), ErrRefused, len(bad), plural(len(bad), "module", "modules"))
	}
	fmt.Fprintf(b.Out, "pins: the plugin compiles packages of %d of %s's modules, each at its version\n", shared, b.release())
	return nil
}

// Tidy runs go mod tidy, then requires the host's version of every module
// the plugin compiles at another (go mod tidy alone leaves one where a
// dependency's go.mod puts it) and tidies again, and checks: a module a
// dependency raises above the host's is reported, not lowered behind the
// author's back.
func (b *Build) Tidy(ctx context.Context) error {
	if err := b.modGo(ctx, "mod", "tidy"); err != nil {
		return err
	}
	pkgs, err := b.Deps(ctx)
	if err != nil {
		return err
	}
	_, bad := b.compare(pkgs)
	var reqs []module.Version
	for _, m := range bad {
		if m.Repin {
			fmt.Fprintf(b.Out, "%s: requiring %s@%s, the version %s builds\n", b.GoMod(), m.Path, m.Host, b.release())
			reqs = append(reqs, module.Version{Path: m.Path, Version: m.Host})
		}
	}
	if len(reqs) > 0 {
		gm := filepath.Join(b.Dir, filepath.FromSlash(b.GoMod()))
		data, err := input.ReadFile(gm, input.SourceLimit)
		if err != nil {
			return err
		}
		if data, err = gomod.Require(data, reqs...); err != nil {
			return fmt.Errorf("%s: %w", b.GoMod(), err)
		}
		if err := os.WriteFile(gm, data, 0o644); err != nil {
			return err
		}
		if err := b.modGo(ctx, "mod", "tidy"); err != nil {
			return err
		}
	}
	return b.Check(ctx)
}

// Get runs go get target and checks the pins. When either fails, go.mod
// and go.sum are put back byte for byte as they were: a version the host
// would refuse is said at once, and leaves nothing to undo.
func (b *Build) Get(ctx context.Context, target string) (err error) {
	if target == "" {
		return errors.New("MODULE is empty: make get MODULE=path@version")
	}
	saved := map[string][]byte{}
	for _, name := range []string{b.GoMod(), b.GoSum()} {
		data, err := input.ReadFile(filepath.Join(b.Dir, filepath.FromSlash(name)), input.SourceLimit)
		switch {
		case errors.Is(err, os.ErrNotExist):
			saved[name] = nil
		case err != nil:
			return err
		default:
			saved[name] = data
		}
	}
	defer func() {
		if err == nil {
			return
		}
		if rerr := restore(b.Dir, saved); rerr != nil {
			err = fmt.Errorf("%w; restoring go.mod and go.sum: %v", err, rerr)
			return
		}
		fmt.Fprintf(b.Err, "%s and %s are as they were before go get %s\n", b.GoMod(), b.GoSum(), target)
	}()
	if err := b.modGo(ctx, "get", target); err != nil {
		return err
	}
	return b.Check(ctx)
}

func restore(dir string, saved map[string][]byte) error {
	for name, data := range saved {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if data == nil {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			continue
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// modGo runs a go command that may change go.mod and go.sum (-mod=mod),
// saying so first, as make would.
func (b *Build) modGo(ctx context.Context, args ...string) error {
	// The module file's flag follows the command: go mod tidy -modfile=F,
	// go get -modfile=F MODULE.
	n := 1
	if args[0] == "mod" {
		n = 2
	}
	args = slices.Concat(args[:n], b.modFlags(), args[n:])
	fmt.Fprintln(b.Out, "go "+strings.Join(args, " "))
	r := b.Runner()
	r.Env = gocmd.Setenv(r.Env, "GOFLAGS", "-mod=mod")
	_, err := r.Run(ctx, args...)
	return err
}
