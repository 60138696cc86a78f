package loader

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A given is a type the base file spells out as a Go type expression.
type given struct {
	field string  // such as "contract.symbols[2].type"
	name  string  // the symbol, for messages
	expr  string  // as the base file writes it
	at    *string // where the contract keeps the value once filled
}

// givenTypes lists the types a base file spells out, before the SDK's
// source fills the contract.
func givenTypes(k *manifest.Contract) []given {
	var gs []given
	for i := range k.Symbols {
		s := &k.Symbols[i]
		if s.Type != "" {
			gs = append(gs, given{fmt.Sprintf("contract.symbols[%d].type", i), s.Name, s.Type, &s.Type})
		}
		if s.SDKType != "" {
			// The SDK's name for the type must denote the symbol's type.
			gs = append(gs, given{fmt.Sprintf("contract.symbols[%d].sdkType", i), s.Name, s.SDKType, &s.Type})
		}
	}
	if k.Constructor != nil && k.Constructor.Signature != "" {
		gs = append(gs, given{"contract.constructor.signature", k.Constructor.Name, k.Constructor.Signature, &k.Constructor.Signature})
	}
	if h := k.Handler; h != nil && h.Type != "" {
		gs = append(gs, given{"contract.handler.type", "handlers", h.Type, &h.Type})
	}
	return gs
}

// fromSDK fills the contract the base file names from the SDK's source,
// for a host whose loader says nothing of it, and type-checks every type
// the base file gives against the SDK at the host's version: a name no
// package declares, or a type other than the SDK's own declaration, is a
// problem naming the field. A type the SDK does not declare is taken as
// given, once it checks.
func (r *run) fromSDK(ctx context.Context) error {
	k := &r.res.Contract
	if k.Package == "" {
		k.Package = r.res.SDKModule
	}
	if k.Package == "" {
		return &MissingFlagError{Flag: "--sdk-module", Why: " (or sdk.module in the base file): no loader of the host's build says which module plugins compile against"}
	}
	gs := givenTypes(k)
	baseImports := slices.Clone(k.Imports)
	sdk, err := r.sdkPackage(ctx, k.Package)
	if err != nil {
		return err
	}
	if err := sdk.Fill(k); err != nil {
		return err
	}
	k.Imports = mergeImports(k.Imports, baseImports)
	if len(gs) == 0 {
		return nil
	}
	return r.checkGiven(sdk, baseImports, gs)
}

// checkGiven type-checks the base file's types in a file of their own
// that imports what they name: the base file's imports, the SDK package
// and the packages its files import, or else the one package of the name
// the host links.
func (r *run) checkGiven(sdk *SDK, baseImports []manifest.Import, gs []given) error {
	k := &r.res.Contract
	names := map[string]string{}
	for _, f := range sdk.files {
		for _, spec := range f.Imports {
			if n, path, ok := manifest.SpecName(spec); ok {
				names[n] = path
			}
		}
	}
	names[sdk.Name] = sdk.Path
	for _, imp := range slices.Concat(k.Imports, baseImports) {
		names[imp.PackageName()] = imp.Path
	}
	used := map[string]string{}
	var decls []string
	bad := map[int]bool{}
	for i, g := range gs {
		for _, e := range []string{g.expr, *g.at} {
			if bad[i] {
				break
			}
			expr, err := manifest.ParseType(e)
			if err != nil {
				r.problem(g.field, "%s: %v", g.name, err)
				bad[i] = true
				continue
			}
			for _, q := range manifest.Qualifiers(expr) {
				path, ok := names[q]
				if !ok {
					var err error
					if path, err = r.linkedNamed(q); err != nil {
						r.problem(g.field, "%s: %q: %v", g.name, g.expr, err)
						bad[i] = true
						break
					}
				}
				used[q] = path
			}
		}
		decls = append(decls, fmt.Sprintf("type given%d = %s", i, g.expr), fmt.Sprintf("type sdk%d = %s", i, *g.at))
	}
	if len(bad) > 0 {
		return r.problemsErr()
	}
	var src strings.Builder
	src.WriteString("package scaffoldcheck\n\nimport (\n")
	for _, q := range slices.Sorted(maps.Keys(used)) {
		fmt.Fprintf(&src, "\t%s %s\n", q, strconv.Quote(used[q]))
	}
	src.WriteString(")\n\n")
	header := strings.Count(src.String(), "\n") // declaration j stands on line header+1+j
	for _, d := range decls {
		src.WriteString(d + "\n")
	}
	f, err := parser.ParseFile(r.src.Fset, "check.go", src.String(), parser.SkipObjectResolution)
	if err != nil {
		return fmt.Errorf("type-checking the base file's types: %w", err)
	}
	var errs []types.Error
	conf := types.Config{Importer: r.src, FakeImportC: true, Error: func(err error) {
		var te types.Error
		if errors.As(err, &te) && !te.Soft {
			errs = append(errs, te)
		}
	}}
	pkg, _ := conf.Check("scaffoldcheck", r.src.Fset, []*ast.File{f}, nil)
	for _, te := range errs {
		line := r.src.Fset.Position(te.Pos).Line
		if j := line - header - 1; j >= 0 && j < len(decls) && !bad[j/2] {
			g := gs[j/2]
			r.problem(g.field, "%s: %q does not type-check against the SDK %s: %s", g.name, g.expr, r.describeModule(sdk.Path), te.Msg)
			bad[j/2] = true
		}
	}
	if len(bad) > 0 {
		return r.problemsErr()
	}
	if len(errs) > 0 {
		return fmt.Errorf("type-checking the base file's types: %v", errs[0])
	}
	scope := pkg.Scope()
	for i, g := range gs {
		a, b := scope.Lookup(fmt.Sprintf("given%d", i)), scope.Lookup(fmt.Sprintf("sdk%d", i))
		if a == nil || b == nil {
			return fmt.Errorf("type-checking the base file's types: %s lost", g.field)
		}
		if types.Identical(types.Unalias(a.Type()), types.Unalias(b.Type())) {
			continue
		}
		if strings.HasSuffix(g.field, ".sdkType") {
			r.problem(g.field, "%s: %s is %s, not the symbol's type %s", g.name, g.expr, types.Unalias(a.Type()), *g.at)
		} else {
			r.problem(g.field, "%s: the base file says %s, but the SDK %s declares %s: remove the type from the base file, or correct it", g.name, g.expr, r.describeModule(sdk.Path), *g.at)
		}
	}
	if err := r.problemsErr(); err != nil {
		return err
	}
	// Types the SDK does not declare are kept as given; the packages they
	// name join the contract's imports.
	for _, g := range gs {
		e1, _ := manifest.ParseType(*g.at)
		e2, _ := manifest.ParseType(g.expr)
		for _, q := range append(manifest.Qualifiers(e1), manifest.Qualifiers(e2)...) {
			if !slices.ContainsFunc(k.Imports, func(imp manifest.Import) bool { return imp.PackageName() == q }) {
				imp := manifest.Import{Path: used[q]}
				if manifest.DefaultPackageName(imp.Path) != q {
					imp.Name = q
				}
				k.Imports = append(k.Imports, imp)
			}
		}
	}
	slices.SortFunc(k.Imports, func(a, b manifest.Import) int { return strings.Compare(a.Path, b.Path) })
	return nil
}

// describeModule names the module of a package with its version, as
// "example.com/sdk v1.0.0".
func (r *run) describeModule(path string) string {
	if m, ok := r.mods.ModuleOf(path); ok && !r.src.ofMain(path) {
		return m.Path + " " + m.Version
	}
	return path
}

// linkedNamed finds the one package the host links under a name, where a
// base file's type uses it without an import.
func (r *run) linkedNamed(name string) (string, error) {
	var found []string
	for _, path := range r.o.Host.Linked {
		if manifest.DefaultPackageName(path) == name && !strings.HasSuffix(path, "/internal") && !strings.Contains(path, "/internal/") && !strings.HasPrefix(path, "internal/") && !strings.HasPrefix(path, "vendor/") {
			found = append(found, path)
		}
	}
	slices.Sort(found)
	found = slices.Compact(found)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("no package named %s is linked into the host: add its import path to contract.imports in the base file", name)
	}
	return "", fmt.Errorf("package name %s is ambiguous: the host links %s: say which in contract.imports in the base file (- path: %s)", name, strings.Join(found, ", "), found[0])
}
