package loader

import (
	"context"
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// fill writes the contract of the chosen candidate, holding what the base
// file says to what the code does.
func (r *run) fill(ctx context.Context, c *candidate) error {
	k := &r.res.Contract
	b := r.o.Base
	if c.marked != nil {
		*k = b
		k.Kind, k.Package = manifest.KindSymbols, c.marked.Path
		return r.fromSDK(ctx)
	}
	switch c.kind {
	case manifest.KindSymbols:
		if b.Kind == manifest.KindConstructor {
			return r.fillConstructor(ctx, c)
		}
		return r.fillSymbols(c)
	case manifest.KindConstructor:
		if b.Kind == manifest.KindSymbols {
			return r.fillSymbols(c)
		}
		return r.fillConstructor(ctx, c)
	case manifest.KindImplementer:
		return r.fillImplementer(c)
	case manifest.KindInterfaceVariable:
		*k = b
		k.Kind, k.Symbol, k.Package, k.Interface = c.kind, c.lookups[0].Name, c.pkg, c.iface
		return r.fillFromSDK(ctx, nil)
	case manifest.KindHandlers:
		return r.fillHandlers(ctx, c)
	}
	return fmt.Errorf("contract.kind: %s is not read from a loader", c.kind)
}

// fillSymbols fills a symbol set from the host's lookups. The base file
// may list symbols to give docs and examples, and say which are required
// where the code does not; where it does, the two must agree.
func (r *run) fillSymbols(c *candidate) error {
	k := &r.res.Contract
	b := r.o.Base
	*k = manifest.Contract{Kind: manifest.KindSymbols, Package: b.Package}
	base := map[string]int{}
	for i, s := range b.Symbols {
		base[s.Name] = i
		if !c.has(s.Name) {
			var names []string
			for _, lk := range c.lookups {
				names = append(names, lk.Name)
			}
			r.problem(fmt.Sprintf("contract.symbols[%d]", i), "the host's loader %s does not look up %s (it looks up %s)", c.loader.Path, s.Name, strings.Join(names, ", "))
		}
	}
	q := newTypeNamer(c.loader)
	var fns []returned
	for _, lk := range c.lookups {
		if len(lk.Others) > 0 {
			r.problem("contract", "%s: the host takes %s as any of %d types: a plugin exports one", where(lk.Pos), lk.Name, len(lk.Others)+1)
			continue
		}
		i, listed := base[lk.Name]
		field := fmt.Sprintf("contract.symbols[%d]", i)
		var bs manifest.Symbol
		if listed {
			bs = b.Symbols[i]
		}
		s := manifest.Symbol{Name: lk.Name, Doc: bs.Doc, Example: bs.Example}
		s.Required = r.need(lk, listed && r.o.BaseSet[field+".required"], bs.Required, field+".required")
		typ := lk.Type
		if lk.Shape == Func {
			typ = types.Unalias(typ)
			if sig, ok := typ.Underlying().(*types.Signature); ok {
				fns = append(fns, returned{c.loader, sig})
			}
		}
		var err error
		if s.Type, err = q.print(typ); err != nil {
			return fmt.Errorf("symbol %s: %w", lk.Name, err)
		}
		if bs.Type != "" {
			if err := agree(c.loader, lk.Pos, bs.Type, lk.Type); err != nil {
				r.problem(field+".type", "%s: %v", lk.Name, err)
			}
		}
		if bs.SDKType != "" {
			if err := agree(c.loader, lk.Pos, bs.SDKType, lk.Type); err != nil {
				r.problem(field+".sdkType", "%s: %v", lk.Name, err)
			}
			s.SDKType = bs.SDKType
			q.use(strings.Split(bs.SDKType, ".")[0])
		} else if alias, ok := lk.Type.(*types.Alias); ok && lk.Shape == Func && alias.Obj().Pkg() != nil {
			// The host asserts through the SDK's alias: hold the plugin
			// to it too.
			if s.SDKType, err = q.print(alias); err != nil {
				return fmt.Errorf("symbol %s: %w", lk.Name, err)
			}
		}
		k.Symbols = append(k.Symbols, s)
	}
	var err error
	if k.Types, err = resultTypes(fns, b.Types, q); err != nil {
		return err
	}
	k.Imports = q.imports()
	return nil
}

// need says whether a symbol is required: as the code says, where it
// does, which a base file's required must agree with; as the base file
// says where the code does not; required when neither does, since a
// plugin that exports a symbol the host can do without still loads.
func (r *run) need(lk Lookup, given, required bool, field string) bool {
	switch {
	case lk.Need == NeedUnknown && given:
		return required
	case lk.Need == NeedUnknown:
		r.res.Warnings = append(r.res.Warnings, fmt.Sprintf("the host's code does not say whether it needs %s (%s): taken as required; a base file's %s says otherwise", lk.Name, where(lk.At), field))
		return true
	case given && required != (lk.Need == Required):
		what := "goes on without it"
		if lk.Need == Required {
			what = "fails without it"
		}
		r.problem(field, "%t, but the host's loader %s (%s): leave required out, or correct it", required, what, where(lk.NeedPos))
	}
	return lk.Need == Required
}

// fillImplementer fills an implementer contract from the lookup the host
// asserts to an interface: its methods are the interface's, as the host
// compiled it.
func (r *run) fillImplementer(c *candidate) error {
	k := &r.res.Contract
	b := r.o.Base
	lk := c.lookups[0]
	if len(lk.Others) > 0 {
		return fmt.Errorf("%s: the host takes %s as any of %d types: name the contract in the base file", where(lk.Pos), lk.Name, len(lk.Others)+1)
	}
	named, ok := types.Unalias(lk.Type).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return fmt.Errorf("%s: the host asserts %s to an unnamed interface, %s: scaffold needs a named one", where(lk.Pos), lk.Name, lk.Type)
	}
	iface := named.Underlying().(*types.Interface)
	pkgPath, ifaceName := named.Obj().Pkg().Path(), named.Obj().Name()
	if b.Package != "" && b.Package != pkgPath && b.Package != c.loader.Path {
		r.problem("contract.package", "%s, but the host asserts %s to %s.%s", b.Package, lk.Name, pkgPath, ifaceName)
	}
	if b.Interface != "" && b.Interface != ifaceName {
		r.problem("contract.interface", "%s, but the host asserts %s to %s.%s", b.Interface, lk.Name, pkgPath, ifaceName)
	}
	*k = manifest.Contract{Kind: manifest.KindImplementer, Symbol: lk.Name, Package: pkgPath, Interface: ifaceName}
	base := map[string]manifest.Method{}
	for i, m := range b.Methods {
		if m.Signature != "" {
			r.problem(fmt.Sprintf("contract.methods[%d].signature", i), "read from the host's loader; remove it")
		}
		if !slices.ContainsFunc(methodNames(iface), func(n string) bool { return n == m.Name }) {
			r.problem(fmt.Sprintf("contract.methods[%d]", i), "%s.%s has no method %s", named.Obj().Pkg().Name(), ifaceName, m.Name)
		}
		base[m.Name] = m
	}
	q := newTypeNamer(c.loader)
	for i := range iface.NumMethods() {
		fn := iface.Method(i)
		if !fn.Exported() {
			return fmt.Errorf("%s.%s has the unexported method %s: only the package itself can implement it", named.Obj().Pkg().Name(), ifaceName, fn.Name())
		}
		sig, err := q.print(fn.Type())
		if err != nil {
			return fmt.Errorf("method %s: %w", fn.Name(), err)
		}
		bm := base[fn.Name()]
		k.Methods = append(k.Methods, manifest.Method{Name: fn.Name(), Signature: sig, Doc: bm.Doc, Example: bm.Example})
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

// fillConstructor fills a constructor contract: its signature is the
// func type the host asserts the looked-up name to, the interface's
// methods are read from the SDK's source.
func (r *run) fillConstructor(ctx context.Context, c *candidate) error {
	k := &r.res.Contract
	b := r.o.Base
	name := c.lookups[0].Name
	if b.Constructor != nil && b.Constructor.Name != "" {
		name = b.Constructor.Name
	}
	i := slices.IndexFunc(c.lookups, func(lk Lookup) bool { return lk.Name == name })
	lk := c.lookups[i]
	if lk.Shape != Func || len(lk.Others) > 0 {
		return fmt.Errorf("%s: the host asserts %s to %s, not to one func type: it is not a constructor; leave contract.kind and contract.constructor out to have the contract read from the loader", where(lk.Pos), lk.Name, lk.Type)
	}
	*k = b
	k.Kind = manifest.KindConstructor
	if named := constructs(lk); named != nil {
		if k.Package == "" {
			k.Package = named.Obj().Pkg().Path()
		}
		if k.Interface == "" {
			k.Interface = named.Obj().Name()
		}
	}
	if k.Constructor == nil {
		k.Constructor = &manifest.Func{Name: name}
	} else {
		cp := *k.Constructor
		k.Constructor = &cp
	}
	if k.Constructor.Signature != "" {
		if err := agree(c.loader, lk.Pos, k.Constructor.Signature, lk.Type); err != nil {
			r.problem("contract.constructor.signature", "%s: %v", lk.Name, err)
		}
	}
	q := newTypeNamer(c.loader)
	sig, err := q.print(types.Unalias(lk.Type))
	if err != nil {
		return fmt.Errorf("constructor %s: %w", lk.Name, err)
	}
	k.Constructor.Signature = sig
	return r.fillFromSDK(ctx, q.imports())
}

// fillHandlers fills a handlers contract from the type the host asserts
// the configured names to.
func (r *run) fillHandlers(ctx context.Context, c *candidate) error {
	k := &r.res.Contract
	b := r.o.Base
	lk := c.lookups[0]
	for _, o := range c.lookups[1:] {
		lk.Others = append(lk.Others, o.Type)
	}
	*k = manifest.Contract{Kind: manifest.KindHandlers, Package: b.Package}
	h := &manifest.Handler{}
	if b.Handler != nil {
		*h = *b.Handler
	}
	q := newTypeNamer(c.loader)
	typ, err := q.print(types.Unalias(lk.Type))
	if err != nil {
		return fmt.Errorf("handlers: %w", err)
	}
	if h.Type != "" {
		if err := agree(c.loader, lk.Pos, h.Type, lk.Type); err != nil {
			r.problem("contract.handler.type", "%v", err)
		}
	}
	if h.SDKType != "" {
		if err := agree(c.loader, lk.Pos, h.SDKType, lk.Type); err != nil {
			r.problem("contract.handler.sdkType", "%v", err)
		}
		q.use(strings.Split(h.SDKType, ".")[0])
	} else if alias, ok := lk.Type.(*types.Alias); ok && alias.Obj().Pkg() != nil {
		if h.SDKType, err = q.print(alias); err != nil {
			return fmt.Errorf("handlers: %w", err)
		}
	}
	h.Type = typ
	if h.SDKType != "" && h.Doc == "" {
		// The SDK's doc of its declaration.
		pkgName, typeName, _ := strings.Cut(h.SDKType, ".")
		if path := q.used[pkgName]; path != "" {
			if sdk, err := r.sdkPackage(ctx, path); err == nil {
				if ts, ok := sdk.types[typeName]; ok {
					h.Doc = docText(ts.Doc)
				}
			}
		}
		if k.Package == "" {
			k.Package = q.used[pkgName]
		}
	}
	k.Handler = h
	k.Imports = q.imports()
	return nil
}

// fillFromSDK completes an interface-variable or constructor contract
// from the SDK's source: the interface's method set, with the base
// file's examples. known are imports the contract already has.
func (r *run) fillFromSDK(ctx context.Context, known []manifest.Import) error {
	k := &r.res.Contract
	sdk, err := r.sdkPackage(ctx, k.Package)
	if err != nil {
		return err
	}
	sig := ""
	if k.Constructor != nil {
		sig = k.Constructor.Signature
	}
	if err := sdk.Fill(k); err != nil {
		return err
	}
	// The plugin names the interface, whatever its methods name.
	self := manifest.Import{Path: sdk.Path}
	if manifest.DefaultPackageName(sdk.Path) != sdk.Name {
		self.Name = sdk.Name
	}
	known = append(known, self)
	if k.Constructor != nil && sig != "" {
		// The loader's assertion decides, whatever the SDK declares.
		k.Constructor.Signature = sig
	}
	k.Imports = mergeImports(k.Imports, known)
	return nil
}

// mergeImports adds the imports of b that a lacks, sorted by path.
func mergeImports(a, b []manifest.Import) []manifest.Import {
	out := slices.Clone(a)
	for _, imp := range b {
		if !slices.ContainsFunc(out, func(o manifest.Import) bool { return o.Path == imp.Path }) {
			out = append(out, imp)
		}
	}
	slices.SortFunc(out, func(x, y manifest.Import) int { return strings.Compare(x.Path, y.Path) })
	return out
}

// agree type-checks a type the base file gives, in the scope of the
// loader's file where the host asserts the symbol, and holds it to the
// loader's type.
func agree(l *Loader, pos token.Position, expr string, want types.Type) error {
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

// A typeNamer prints types with the package names the loader's files
// use, and records each package a type refers to as an import of the
// contract.
type typeNamer struct {
	l    *Loader
	used map[string]string // name -> path
}

func newTypeNamer(l *Loader) *typeNamer {
	return &typeNamer{l: l, used: map[string]string{}}
}

func (q *typeNamer) print(t types.Type) (string, error) {
	var err error
	s := types.TypeString(t, func(p *types.Package) string {
		name := q.l.ImportName(p.Path())
		if other, ok := q.used[name]; ok && other != p.Path() && err == nil {
			err = fmt.Errorf("package name %s stands for both %s and %s", name, other, p.Path())
		}
		q.used[name] = p.Path()
		return name
	})
	return s, err
}

// use records the import a qualified name the base file gives refers to.
func (q *typeNamer) use(name string) {
	if path := q.l.PathOf(name); path != "" {
		q.used[name] = path
	}
}

func (q *typeNamer) imports() []manifest.Import {
	return manifest.AppendImports([]manifest.Import{}, q.used)
}
