package loader

import (
	"cmp"
	"context"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A Host is what a host's binary tells of its build.
type Host struct {
	// Module is the host's main module path.
	Module string
	Build  Build
	// Modules is the build list: each module as compiled, after any
	// replacement; a directory replacement has Dir set when it can be
	// found (relative to the host's own source).
	Modules []Module
	// Linked are the import paths of the packages the binary links.
	Linked []string
}

// Options say where the contract is read from and what a base file says
// of it.
type Options struct {
	Host Host
	// Source is a directory holding the host's own module at the
	// release; with it, loaders in the host's own module are read too.
	Source string
	// SourceVersion, when Source is empty, is the version of the host's
	// own module to fetch through the module proxy when its loader is
	// searched there: the release tag or the revision the binary records.
	SourceVersion string
	// SDKDir is a directory holding the SDK's source at the release, for
	// an SDK that is the host's own module.
	SDKDir string
	// SDKModule is the SDK's module path as a base file or flag gives it;
	// empty to have it read from the contract.
	SDKModule string
	// Base is the contract a base file gives (kind, names, examples,
	// types to hold the code to), BaseSet the fields it sets (see
	// [manifest.ReadBase]).
	Base    manifest.Contract
	BaseSet map[string]bool
	// Pick chooses among several contracts the host's code has: a
	// symbol's name, a kind, or a package's import path.
	Pick string
	// Env is the go command's environment, for the module downloads.
	Env []string
	// Progress, when set, is told of each step that may take a while.
	Progress func(string)
}

// A Result is the contract read.
type Result struct {
	Contract manifest.Contract
	// SDKModule is the module plugins compile against: the one given, or
	// the module declaring the contract's types.
	SDKModule string
	// SourceDir is where the host's own module's source was read, when it
	// was (given or fetched); SourceVersion the version the module proxy
	// served it at, when fetched.
	SourceDir, SourceVersion string
	Warnings                 []string
}

// Contract reads the contract of a host: from the host's own loader, the
// code of its build that looks symbols up in a plugin, where it can be
// found; else from the SDK's declarations. Nothing is compiled: the
// packages that may look symbols up are picked by their imports, and only
// those are type-checked, from source, at the versions the host was built
// with.
func Contract(ctx context.Context, o Options) (*Result, error) {
	env := o.Env
	if env == nil {
		env = os.Environ()
	}
	vals, err := GoEnv(ctx, env, "GOROOT", "GOMODCACHE")
	if err != nil {
		return nil, err
	}
	r := &run{ctx: ctx, o: o, goroot: vals[0], modCache: vals[1], env: env, res: &Result{}}
	if o.Source != "" {
		if err := checkModuleDir(o.Source, o.Host.Module, "--host-source"); err != nil {
			return nil, err
		}
		r.main = Module{Path: o.Host.Module, Dir: o.Source}
	} else if o.SDKDir != "" && o.SDKModule == o.Host.Module {
		r.main = Module{Path: o.Host.Module, Dir: o.SDKDir}
	} else {
		r.main = Module{Path: o.Host.Module}
	}
	r.setMain(r.main.Dir)
	r.res.SDKModule = o.SDKModule
	if err := r.contract(ctx); err != nil {
		return nil, err
	}
	return r.res, nil
}

// A run is one reading of a host's contract.
type run struct {
	ctx      context.Context
	o        Options
	mods     *Modules
	goroot   string
	modCache string
	env      []string
	main     Module
	src      *Source
	res      *Result
	// loaders are the host's packages that look symbols up.
	loaders []*Loader
	// problems are the base file's, reported together.
	problems []manifest.Problem
}

// setMain takes dir as the host's own module's source: the build list's
// relative directory replacements are found in it.
func (r *run) setMain(dir string) {
	r.main.Dir = dir
	r.res.SourceDir = dir
	mods := slices.Clone(r.o.Host.Modules)
	for i, m := range mods {
		if m.Dir == "" && m.ReplaceDir != "" && dir != "" && !filepath.IsAbs(m.ReplaceDir) {
			mods[i].Dir = filepath.Join(dir, m.ReplaceDir)
		}
	}
	r.mods = NewModules(r.modCache, r.env, mods)
	r.mods.Progress = r.o.Progress
	r.src = NewSource(r.ctx, r.goroot, r.o.Host.Build, r.mods, r.main)
}

func (r *run) progress(msg string) {
	if r.o.Progress != nil {
		r.o.Progress(msg)
	}
}

// problem records a problem of the base file, naming the field.
func (r *run) problem(field, format string, args ...any) {
	r.problems = append(r.problems, manifest.Problem{Path: field, Msg: fmt.Sprintf(format, args...)})
}

func (r *run) problemsErr() error {
	if len(r.problems) == 0 {
		return nil
	}
	return &manifest.Problems{Kind: "base file", List: r.problems}
}

func (r *run) contract(ctx context.Context) error {
	if err := r.findLoaders(ctx, false); err != nil {
		return err
	}
	cands := r.marked(ctx, r.candidates())
	if len(cands) == 0 && r.main.Dir == "" && r.o.SourceVersion != "" && r.wantsLoader() {
		// No dependency looks symbols up: the loader is in the host's own
		// module, whose source the module proxy serves at the release.
		if err := r.fetchMain(ctx); err != nil {
			return err
		}
		if err := r.findLoaders(ctx, true); err != nil {
			return err
		}
		cands = r.marked(ctx, r.candidates())
	}
	c, err := r.choose(cands)
	if err != nil {
		return err
	}
	k := &r.res.Contract
	if c == nil {
		// No loader says it: the SDK's declarations do, as the base
		// file names them.
		*k = r.o.Base
		if err := r.fromSDK(ctx); err != nil {
			return err
		}
	} else if err := r.fill(ctx, c); err != nil {
		return err
	}
	for i, t := range k.Types {
		if len(t.Methods) == 0 && len(t.StringFields) == 0 {
			// Taken as the base file gives it, not read.
			r.problem(fmt.Sprintf("contract.types[%d]", i), "%s: what the looked-up functions return is read where the host's loader is read, and no loader was read (give --host-source when it is in the host's own module)", t.Name)
		}
	}
	if err := r.problemsErr(); err != nil {
		return err
	}
	if r.res.SDKModule == "" {
		r.res.SDKModule = r.sdkModule(c)
	}
	if k.Kind == manifest.KindSymbols && k.Package == "" {
		k.Package = r.res.SDKModule
	}
	return nil
}

// wantsLoader tells whether the contract is to be read from a loader: a
// base file that spells out a contract the SDK declares needs none.
func (r *run) wantsLoader() bool {
	b := r.o.Base
	return b.Kind == "" || b.Kind == manifest.KindSymbols || b.Kind == manifest.KindImplementer || b.Kind == manifest.KindHandlers
}

// fetchMain fetches the host's own module at the release.
func (r *run) fetchMain(ctx context.Context) error {
	m := Module{Path: r.o.Host.Module, Version: r.o.SourceVersion}
	r.progress(fmt.Sprintf("fetching the source of %s at %s through the module proxy", m.Path, m.Version))
	dir, err := r.mods.Dir(ctx, m)
	if err != nil {
		return fmt.Errorf("reading the host's own loader: %w (or give a checkout of it with --host-source)", err)
	}
	version := cmp.Or(r.mods.Version(m.Path), m.Version)
	r.setMain(dir)
	r.res.SourceVersion = version
	return nil
}

// findLoaders reads the packages of the host's build that may look
// symbols up; onlyMain limits the search to the host's own module.
func (r *run) findLoaders(ctx context.Context, onlyMain bool) error {
	r.setMain(r.main.Dir) // a Source of its own, with nothing checked yet
	var linked []string
	for _, p := range r.o.Host.Linked {
		inMain := r.src.ofMain(p)
		if inMain && r.main.Dir == "" || onlyMain && !inMain {
			continue
		}
		linked = append(linked, p)
	}
	r.progress(fmt.Sprintf("finding the host's plugin loaders among the %d packages it links", len(linked)))
	paths, problem, err := r.src.Candidates(ctx, linked)
	if err != nil {
		return err
	}
	if problem != nil {
		r.res.Warnings = append(r.res.Warnings, fmt.Sprintf("not every package of the host's build could be read, and a loader may be among them: %v", problem))
	}
	// Packages checked whole must be asked for before any of them is
	// read as another's dependency.
	for _, p := range paths {
		r.src.mu.Lock()
		r.src.full[p] = true
		r.src.mu.Unlock()
	}
	r.loaders = nil
	for _, p := range paths {
		r.progress("reading " + p)
		pkg, err := r.src.Check(p)
		if err != nil {
			r.res.Warnings = append(r.res.Warnings, fmt.Sprintf("the package %s was not read: %v", p, err))
			continue
		}
		l, err := Read(pkg)
		if err != nil {
			return err
		}
		if len(l.Lookups) > 0 {
			if pkg.Err != nil {
				r.res.Warnings = append(r.res.Warnings, fmt.Sprintf("%s does not type-check cleanly here (%v): check the contract read from it", p, pkg.Err))
			}
			r.loaders = append(r.loaders, l)
		}
	}
	return nil
}

// checkModuleDir makes sure dir, given with flag, holds the module at
// modPath, the host's own or the SDK.
func checkModuleDir(dir, modPath, flag string) error {
	role := "the host's"
	if flag == "--sdk-dir" {
		role = "the SDK"
	}
	data, err := input.ReadFile(filepath.Join(dir, "go.mod"), input.SourceLimit)
	if err != nil {
		return fmt.Errorf("%s: %w: give the root of a checkout of %s (the directory holding its go.mod)", flag, err, modPath)
	}
	if got := modfile.ModulePath(data); got != modPath {
		return fmt.Errorf("%s: %s holds module %q, not %s %s", flag, dir, got, role, modPath)
	}
	return nil
}

// sdkModule is the module plugins compile against, when no base file
// names it: the module of the package declaring the contract's types, or
// else the loader's.
func (r *run) sdkModule(c *candidate) string {
	k := r.res.Contract
	if k.Package != "" {
		if m, ok := r.moduleOf(k.Package); ok {
			return m
		}
	}
	if c != nil && c.loader != nil {
		count := map[string]int{}
		for _, lk := range c.lookups {
			for _, p := range packagesOf(lk.Type) {
				if m, ok := r.moduleOf(p.Path()); ok {
					count[m]++
				}
			}
		}
		best := ""
		for m, n := range count {
			if best == "" || n > count[best] || n == count[best] && m < best {
				best = m
			}
		}
		if best != "" {
			return best
		}
		if m, ok := r.moduleOf(c.loader.Path); ok {
			return m
		}
	}
	return r.o.Host.Module
}

// moduleOf returns the module of the host's build a package is in, the
// host's own included; not the standard library.
func (r *run) moduleOf(path string) (string, bool) {
	if isStd(path) {
		return "", false
	}
	if r.src.ofMain(path) {
		return r.o.Host.Module, true
	}
	if m, ok := r.mods.ModuleOf(path); ok {
		return m.Path, true
	}
	return "", false
}

// packagesOf lists the packages of the named types t refers to.
func packagesOf(t types.Type) []*types.Package {
	var out []*types.Package
	seen := map[types.Type]bool{}
	var walk func(t types.Type)
	walk = func(t types.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Named:
			if p := t.Obj().Pkg(); p != nil {
				out = append(out, p)
			}
		case *types.Alias:
			if p := t.Obj().Pkg(); p != nil {
				out = append(out, p)
			}
			walk(types.Unalias(t))
		case *types.Pointer:
			walk(t.Elem())
		case *types.Slice:
			walk(t.Elem())
		case *types.Array:
			walk(t.Elem())
		case *types.Map:
			walk(t.Key())
			walk(t.Elem())
		case *types.Chan:
			walk(t.Elem())
		case *types.Signature:
			for _, tup := range []*types.Tuple{t.Params(), t.Results()} {
				for i := range tup.Len() {
					walk(tup.At(i).Type())
				}
			}
		}
	}
	walk(t)
	return out
}

// sdkPackage reads the SDK package at path from source, for the method
// sets and declarations the manifest takes from it.
func (r *run) sdkPackage(ctx context.Context, path string) (*SDK, error) {
	var dir, modPath string
	switch m, ok := r.mods.ModuleOf(path); {
	case r.src.ofMain(path):
		if r.main.Dir == "" {
			if r.o.SDKDir == "" {
				return nil, &MissingFlagError{Flag: "--sdk-dir", Why: ": the SDK is the host's own module; give a checkout of the host at the release"}
			}
			r.setMain(r.o.SDKDir)
		}
		dir, modPath = r.main.Dir, r.o.Host.Module
	case ok:
		if r.o.SDKDir != "" && m.Path == r.res.SDKModule {
			if err := checkModuleDir(r.o.SDKDir, m.Path, "--sdk-dir"); err != nil {
				return nil, err
			}
			dir = r.o.SDKDir
		} else {
			d, err := r.mods.Dir(ctx, m)
			if err != nil {
				return nil, fmt.Errorf("fetching the SDK source (or give --sdk-dir): %w", err)
			}
			dir = d
		}
		modPath = m.Path
	default:
		return nil, fmt.Errorf("contract.package: the host's build has no module providing %s", path)
	}
	p, err := LoadSDK(dir, modPath, path, r.o.Host.Build.Tags)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// A MissingFlagError is an option the release needs that was not given.
type MissingFlagError struct {
	Flag string
	// Why says why, separator included.
	Why string
}

func (e *MissingFlagError) Error() string { return e.Flag + ": required" + e.Why }

// where is a position's file name and line, for messages.
func where(p interface{ String() string }) string {
	s := p.String()
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndex(s, ":"); i >= 0 && strings.Count(s, ":") > 1 {
		s = s[:i] // the column
	}
	return s
}
