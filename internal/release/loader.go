package release

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/loader"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// readLoaders finds the packages of the host's build that import package
// plugin and reads their constant lookups. The source is the host's own
// checkout (--host-source), or else its dependencies at the versions the
// binary records, taken through the module cache; the binary's package
// hashes tell which packages it links. No lookups means no loader could
// be read: the caller falls back to the SDK.
func readLoaders(ctx context.Context, m *manifest.Manifest, bin *artifact.File, o Options) ([]*loader.Loader, error) {
	env := o.Env
	if env == nil {
		env = os.Environ()
	}
	env = gocmd.ProxyEnv(gocmd.Setenv(env, "GOWORK", "off"), m.Proxy)
	cfg := loader.Config{Env: env, Tags: m.Build.Tags}
	var candidates []string
	if o.HostSource != "" {
		if err := checkHostSource(o.HostSource, m.Host.Module); err != nil {
			return nil, err
		}
		cfg.Dir = o.HostSource
		candidates = append(candidates, bin.Build.Path)
	} else {
		dir, err := buildListModule(bin)
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cfg.Dir = dir
		cfg.Env = gocmd.Setenv(cfg.Env, "GOFLAGS", strings.TrimSpace(gocmd.Getenv(cfg.Env, "GOFLAGS")+" -mod=mod"))
	}
	for pkg := range bin.PkgHashes {
		first, _, _ := strings.Cut(pkg, "/")
		inMain := pkg == m.Host.Module || strings.HasPrefix(pkg, m.Host.Module+"/")
		if strings.Contains(first, ".") && (o.HostSource != "" || !inMain) {
			candidates = append(candidates, pkg)
		}
	}
	slices.Sort(candidates)
	paths, problem, err := loader.Find(cfg, slices.Compact(candidates))
	if (err != nil || problem != nil) && o.HostSource == "" && len(paths) == 0 {
		// The dependencies could not all be listed (a private module, a
		// directory replacement): a loader may hide there.
		return nil, &unlisted{cmp.Or(err, problem)}
	}
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 && o.HostSource != "" {
		return nil, fmt.Errorf("--host-source: no package of %s that the binary links imports package plugin", o.HostSource)
	}
	var out []*loader.Loader
	for _, p := range paths {
		l, err := loader.Read(cfg, p)
		if err != nil {
			return nil, err
		}
		if len(l.Lookups) > 0 {
			out = append(out, l)
		}
	}
	return out, nil
}

// checkHostSource makes sure --host-source holds the host's main module.
func checkHostSource(dir, modPath string) error {
	data, err := input.ReadFile(filepath.Join(dir, "go.mod"), input.SourceLimit)
	if err != nil {
		return fmt.Errorf("--host-source: %w", err)
	}
	if got := modfile.ModulePath(data); got != modPath {
		return fmt.Errorf("--host-source: %s holds module %q, not the host's %s", dir, got, modPath)
	}
	return nil
}

// buildListModule writes a module whose build list is the binary's own:
// every dependency at the version, and with the replacement, the binary
// records. Packages listed from it are the host's, as it compiled them.
func buildListModule(bin *artifact.File) (string, error) {
	f := new(modfile.File)
	if err := f.AddModuleStmt("scaffold.invalid/loader"); err != nil {
		return "", err
	}
	goVersion := strings.TrimPrefix(bin.GoVersion(), "go")
	if err := f.AddGoStmt(goVersion); err != nil {
		return "", fmt.Errorf("the binary's Go release %s: %w", bin.GoVersion(), err)
	}
	var sums []string
	for _, d := range bin.Build.Deps {
		if d.Version == devel {
			continue
		}
		if err := f.AddRequire(d.Path, d.Version); err != nil {
			return "", err
		}
		if d.Sum != "" {
			sums = append(sums, d.Path+" "+d.Version+" "+d.Sum)
		}
		if r := d.Replace; r != nil && r.Version != "" && r.Version != devel {
			if err := f.AddReplace(d.Path, d.Version, r.Path, r.Version); err != nil {
				return "", err
			}
			if r.Sum != "" {
				sums = append(sums, r.Path+" "+r.Version+" "+r.Sum)
			}
		}
	}
	data, err := f.Format()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "scaffold-loader-")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), data, 0o644); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	slices.Sort(sums)
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), []byte(strings.Join(sums, "\n")+"\n"), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// deriveSymbols fills a symbol-set contract from the host's lookups. The
// base file says which symbols are required, and gives docs and examples;
// a type it gives is type-checked against the loader's assertion.
func deriveSymbols(k *manifest.Contract, loaders []*loader.Loader, set map[string]bool) error {
	type found struct {
		loader.Lookup
		l *loader.Loader
	}
	var lookups []found
	for _, l := range loaders {
		for _, lk := range l.Lookups {
			if i := slices.IndexFunc(lookups, func(f found) bool { return f.Name == lk.Name }); i >= 0 {
				if !types.Identical(lookups[i].Type, lk.Type) {
					return fmt.Errorf("the host asserts %s to %s at %s and to %s at %s: declare the contract in the base file", lk.Name, lookups[i].Type, where(lookups[i].Pos), lk.Type, where(lk.Pos))
				}
				continue
			}
			if lk.Shape == loader.Implements {
				// Another contract of the host's (an implementer's), which
				// its own base file declares.
				continue
			}
			if len(lk.Others) > 0 {
				return fmt.Errorf("%s: the host takes %s as any of %d types: a plugin exports one", where(lk.Pos), lk.Name, len(lk.Others)+1)
			}
			lookups = append(lookups, found{lk, l})
		}
	}
	base := map[string]int{}
	for i, s := range k.Symbols {
		base[s.Name] = i
		if !slices.ContainsFunc(lookups, func(f found) bool { return f.Name == s.Name }) {
			var names []string
			for _, f := range lookups {
				names = append(names, f.Name)
			}
			return fmt.Errorf("base file: contract.symbols[%d]: the host's loader does not look up %s (it looks up %s)", i, s.Name, strings.Join(names, ", "))
		}
	}
	q := &qualifier{used: map[string]string{}}
	var out []manifest.Symbol
	var fns []returned
	for _, f := range lookups {
		i, listed := base[f.Name]
		field := fmt.Sprintf("contract.symbols[%d]", i)
		if !listed || !set[field+".required"] {
			return fmt.Errorf("base file: contract.symbols: the host looks up %s (%s): list it with required: true, or false when the host does without it", f.Name, where(f.Pos))
		}
		b := k.Symbols[i]
		typ := f.Type
		if f.Shape == loader.Func {
			typ = types.Unalias(typ)
			if sig, ok := typ.Underlying().(*types.Signature); ok {
				fns = append(fns, returned{f.l, sig})
			}
		}
		s := manifest.Symbol{Name: f.Name, Required: b.Required, Doc: b.Doc, Example: b.Example}
		var err error
		if s.Type, err = q.print(f.l, typ); err != nil {
			return fmt.Errorf("symbol %s: %w", f.Name, err)
		}
		if b.Type != "" {
			if err := agree(f.l, f.Pos, b.Type, f.Type); err != nil {
				return fmt.Errorf("base file: %s.type: %s: %w", field, f.Name, err)
			}
		}
		if b.SDKType != "" {
			if err := agree(f.l, f.Pos, b.SDKType, f.Type); err != nil {
				return fmt.Errorf("base file: %s.sdkType: %s: %w", field, f.Name, err)
			}
			s.SDKType = b.SDKType
			q.use(f.l, strings.Split(b.SDKType, ".")[0])
		} else if alias, ok := f.Type.(*types.Alias); ok && f.Shape == loader.Func && alias.Obj().Pkg() != nil {
			// The host asserts through the SDK's alias: hold the plugin to it too.
			if s.SDKType, err = q.print(f.l, alias); err != nil {
				return fmt.Errorf("symbol %s: %w", f.Name, err)
			}
		}
		out = append(out, s)
	}
	k.Symbols = out
	var err error
	if k.Types, err = resultTypes(fns, k.Types, q); err != nil {
		return err
	}
	k.Imports = q.imports()
	return nil
}

func where(p token.Position) string {
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// agree type-checks a type the base file gives, in the scope of the
// loader's file where the host asserts the symbol, and holds it to the
// loader's type.
func agree(l *loader.Loader, pos token.Position, expr string, want types.Type) error {
	if _, err := manifest.ParseType(expr); err != nil {
		return err
	}
	got, err := l.Eval(pos, expr)
	if err != nil {
		return fmt.Errorf("%q: %v", expr, err)
	}
	if !types.Identical(got, want) {
		asserted := types.TypeString(want, l.Qualifier())
		if _, ok := want.(*types.Alias); ok {
			asserted += ", that is " + types.TypeString(types.Unalias(want), l.Qualifier())
		}
		return fmt.Errorf("the base file says %s, but the host's loader asserts %s (%s): remove the type from the base file, or correct it", expr, asserted, where(pos))
	}
	return nil
}

// A qualifier prints types with the package names the loader's files use,
// and records each package a type refers to as an import of the contract.
type qualifier struct {
	used map[string]string // name -> path
	err  error
}

func (q *qualifier) print(l *loader.Loader, t types.Type) (string, error) {
	q.err = nil
	s := types.TypeString(t, func(p *types.Package) string {
		name := l.ImportName(p.Path())
		if other, ok := q.used[name]; ok && other != p.Path() && q.err == nil {
			q.err = fmt.Errorf("package name %s stands for both %s and %s", name, other, p.Path())
		}
		q.used[name] = p.Path()
		return name
	})
	return s, q.err
}

// use records the import a qualified name the base file gives refers to.
func (q *qualifier) use(l *loader.Loader, name string) {
	if path := l.PathOf(name); path != "" {
		q.used[name] = path
	}
}

func (q *qualifier) imports() []manifest.Import {
	return manifest.AppendImports([]manifest.Import{}, q.used)
}

// contractFromSource reads the contract from the host's loader when a
// symbol set, an implementer or no kind is asked for and a loader with
// constant lookups is found; from the SDK's declarations otherwise.
func contractFromSource(ctx context.Context, m *manifest.Manifest, bin *artifact.File, o Options) (warnings []string, err error) {
	k := &m.Contract
	if k.Kind == manifest.KindConstructor && k.Constructor != nil {
		// The constructor's type as the host's loader asserts it, so
		// that an inline func type needs no declaration in the SDK:
		// from the host's checkout, or from its dependencies. A loader
		// in the host's own module is not among those, so there the
		// SDK's declaration stands when no dependency looks the
		// constructor up or the dependencies cannot be listed.
		loaders, err := readLoaders(ctx, m, bin, o)
		var ul *unlisted
		if o.HostSource == "" && errors.As(err, &ul) {
			return nil, fillAndCheck(ctx, m, bin, o)
		}
		if err != nil {
			return nil, err
		}
		if o.HostSource == "" && !looksUp(loaders, k.Constructor.Name) {
			return nil, fillAndCheck(ctx, m, bin, o)
		}
		known, err := deriveConstructor(k, loaders)
		if err != nil {
			return nil, err
		}
		o.known = known
		return nil, fillAndCheck(ctx, m, bin, o)
	}
	if k.Kind != "" && k.Kind != manifest.KindSymbols && k.Kind != manifest.KindImplementer {
		return nil, fillAndCheck(ctx, m, bin, o)
	}
	loaders, err := readLoaders(ctx, m, bin, o)
	var ul *unlisted
	if errors.As(err, &ul) && k.Kind == manifest.KindSymbols {
		warnings = append(warnings, fmt.Sprintf("the host's loader was not searched in its dependencies (%v): the contract is read from the SDK; give --host-source to read the host's own loader", ul.err))
		return warnings, fillAndCheck(ctx, m, bin, o)
	}
	if err != nil {
		return nil, err
	}
	if len(loaders) == 0 {
		if k.Kind == "" || k.Kind == manifest.KindImplementer {
			return nil, fmt.Errorf("contract.kind: no loader of the host's build looks up a constant name (give --host-source when the loader is in the host's own module)")
		}
		return nil, fillAndCheck(ctx, m, bin, o)
	}
	if k.Kind == "" {
		if lk, ok := interfaceVariable(loaders); ok {
			// The host dereferences a pointer to an interface variable:
			// the SDK's source gives the interface's methods.
			named := types.Unalias(lk.Type).(*types.Named)
			k.Kind, k.Symbol = manifest.KindInterfaceVariable, lk.Name
			k.Package, k.Interface = named.Obj().Pkg().Path(), named.Obj().Name()
			return nil, fillAndCheck(ctx, m, bin, o)
		}
		k.Kind = manifest.KindSymbols
		for _, l := range loaders {
			for _, lk := range l.Lookups {
				if lk.Shape == loader.Implements {
					k.Kind = manifest.KindImplementer
				}
			}
		}
	}
	if k.Kind == manifest.KindImplementer {
		return nil, deriveImplementer(k, loaders)
	}
	symbols := 0
	for _, l := range loaders {
		for _, lk := range l.Lookups {
			if lk.Shape != loader.Implements {
				symbols++
			}
		}
	}
	if symbols == 0 {
		// The loaders found assert only to interfaces: another contract.
		return nil, fillAndCheck(ctx, m, bin, o)
	}
	if k.Package == "" {
		k.Package = m.SDK.Module
	}
	return nil, deriveSymbols(k, loaders, o.BaseSet)
}

// unlisted is the failure to list the host's dependencies, through which
// its loader would have been found.
type unlisted struct{ err error }

func (u *unlisted) Error() string {
	return fmt.Sprintf("listing the host's dependencies to find its plugin loader (give --host-source, or kind in the base file): %v", u.err)
}

// deriveImplementer fills an implementer contract from the lookup whose
// result the host asserts to an interface: the one the base file's
// contract.symbol names, or the only one.
func deriveImplementer(k *manifest.Contract, loaders []*loader.Loader) error {
	var (
		chosen *loader.Lookup
		from   *loader.Loader
		names  []string
	)
	for _, l := range loaders {
		for i, lk := range l.Lookups {
			if lk.Shape != loader.Implements {
				continue
			}
			names = append(names, lk.Name)
			if k.Symbol == "" || k.Symbol == lk.Name {
				if chosen != nil && chosen.Name != lk.Name {
					return fmt.Errorf("base file: contract.symbol: required: the host asserts several looked-up symbols to interfaces (%s); name the plugin's", strings.Join(names, ", "))
				}
				chosen, from = &l.Lookups[i], l
			}
		}
	}
	if chosen == nil {
		if len(names) == 0 {
			return fmt.Errorf("contract.kind: implementer, but the host's loader asserts no looked-up symbol to an interface: leave contract.kind out to have it read from the loader")
		}
		return fmt.Errorf("base file: contract.symbol: the host's loader does not assert %s to an interface (it does %s)", k.Symbol, strings.Join(names, ", "))
	}
	if len(chosen.Others) > 0 {
		return fmt.Errorf("%s: the host takes %s as any of %d types: name the contract in the base file", where(chosen.Pos), chosen.Name, len(chosen.Others)+1)
	}
	named, ok := types.Unalias(chosen.Type).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return fmt.Errorf("%s: the host asserts %s to an unnamed interface, %s: scaffold needs a named one", where(chosen.Pos), chosen.Name, chosen.Type)
	}
	iface := named.Underlying().(*types.Interface)
	if k.Package != "" && k.Package != named.Obj().Pkg().Path() {
		return fmt.Errorf("base file: contract.package: %s, but the host asserts %s to %s.%s", k.Package, chosen.Name, named.Obj().Pkg().Path(), named.Obj().Name())
	}
	if k.Interface != "" && k.Interface != named.Obj().Name() {
		return fmt.Errorf("base file: contract.interface: %s, but the host asserts %s to %s.%s", k.Interface, chosen.Name, named.Obj().Pkg().Path(), named.Obj().Name())
	}
	k.Symbol, k.Package, k.Interface = chosen.Name, named.Obj().Pkg().Path(), named.Obj().Name()
	base := map[string]manifest.Method{}
	for i, m := range k.Methods {
		if m.Signature != "" {
			return fmt.Errorf("base file: contract.methods[%d].signature: read from the host's loader; remove it", i)
		}
		if iface.NumMethods() == 0 || !slices.ContainsFunc(methodNames(iface), func(n string) bool { return n == m.Name }) {
			return fmt.Errorf("base file: contract.methods[%d]: %s.%s has no method %s", i, named.Obj().Pkg().Name(), k.Interface, m.Name)
		}
		base[m.Name] = m
	}
	q := &qualifier{used: map[string]string{}}
	k.Methods = nil
	for i := range iface.NumMethods() {
		fn := iface.Method(i)
		if !fn.Exported() {
			return fmt.Errorf("%s.%s has the unexported method %s: only the package itself can implement it", named.Obj().Pkg().Name(), k.Interface, fn.Name())
		}
		sig, err := q.print(from, fn.Type())
		if err != nil {
			return fmt.Errorf("method %s: %w", fn.Name(), err)
		}
		b := base[fn.Name()]
		k.Methods = append(k.Methods, manifest.Method{Name: fn.Name(), Signature: sig, Doc: b.Doc, Example: b.Example})
	}
	k.Imports = q.imports()
	return nil
}

func methodNames(iface *types.Interface) []string {
	var out []string
	for i := range iface.NumMethods() {
		out = append(out, iface.Method(i).Name())
	}
	return out
}

// interfaceVariable reports the host's one lookup, when it has one only,
// that it asserts to a pointer to a named interface: Lookup returns the
// address of the plugin's variable of that interface type.
func interfaceVariable(loaders []*loader.Loader) (loader.Lookup, bool) {
	var all []loader.Lookup
	for _, l := range loaders {
		all = append(all, l.Lookups...)
	}
	if len(all) != 1 || all[0].Shape != loader.Variable {
		return loader.Lookup{}, false
	}
	named, ok := types.Unalias(all[0].Type).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return loader.Lookup{}, false
	}
	_, isIface := named.Underlying().(*types.Interface)
	return all[0], isIface
}

// looksUp tells whether one of the loaders looks name up.
func looksUp(loaders []*loader.Loader, name string) bool {
	for _, l := range loaders {
		for _, lk := range l.Lookups {
			if lk.Name == name {
				return true
			}
		}
	}
	return false
}

// deriveConstructor sets the constructor's signature to the func type the
// host's loader asserts the looked-up name to; a signature the base file
// gives must agree with it.
func deriveConstructor(k *manifest.Contract, loaders []*loader.Loader) ([]manifest.Import, error) {
	for _, l := range loaders {
		for _, lk := range l.Lookups {
			if lk.Name != k.Constructor.Name {
				continue
			}
			if lk.Shape != loader.Func || len(lk.Others) > 0 {
				return nil, fmt.Errorf("%s: the host asserts %s to %s, not to one func type: it is not a constructor; leave contract.kind and contract.constructor out to have the contract read from the loader", where(lk.Pos), lk.Name, lk.Type)
			}
			if k.Constructor.Signature != "" {
				if err := agree(l, lk.Pos, k.Constructor.Signature, lk.Type); err != nil {
					return nil, fmt.Errorf("base file: contract.constructor.signature: %s: %w", lk.Name, err)
				}
			}
			q := &qualifier{used: map[string]string{}}
			sig, err := q.print(l, types.Unalias(lk.Type))
			if err != nil {
				return nil, fmt.Errorf("constructor %s: %w", lk.Name, err)
			}
			k.Constructor.Signature = sig
			return q.imports(), nil
		}
	}
	return nil, fmt.Errorf("base file: contract.constructor.name: the host's loader does not look up %s", k.Constructor.Name)
}
