package release

import (
	"context"
	"fmt"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/loader"
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
	return gs
}

// fillAndCheck fills the contract from the SDK's source and type-checks
// every type the base file gives against the SDK at the host's version:
// a name no package declares, a package the SDK does not know, or a type
// other than the SDK's own declaration is an error naming the symbol.
// A type the SDK does not declare is taken as given, once it checks.
func fillAndCheck(ctx context.Context, m *manifest.Manifest, bin *artifact.File, o Options) error {
	k := &m.Contract
	gs := givenTypes(k)
	if err := fillContract(ctx, m, o); err != nil {
		return err
	}
	if len(gs) == 0 {
		return nil
	}
	return checkGiven(m, bin, o, gs)
}

func checkGiven(m *manifest.Manifest, bin *artifact.File, o Options, gs []given) error {
	k := &m.Contract
	dir, err := buildListModule(bin)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if m.SDKIsHost() {
		// The SDK is the host's own module, which no build list holds:
		// take it from the checkout.
		if err := replaceWithDir(dir, m.Host.Module, o.SDKDir); err != nil {
			return err
		}
	}
	env := o.Env
	if env == nil {
		env = os.Environ()
	}
	env = gocmd.ProxyEnv(gocmd.Setenv(env, "GOWORK", "off"), m.Proxy)
	env = gocmd.Setenv(env, "GOFLAGS", strings.TrimSpace(gocmd.Getenv(env, "GOFLAGS")+" -mod=mod"))
	cfg := loader.Config{Dir: dir, Env: env, Tags: m.Build.Tags}

	// The names a type may use: the contract's imports, the SDK's own
	// name and the packages its files import.
	names := map[string]string{}
	sdkPkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedImports, Dir: cfg.Dir, Env: cfg.Env}, k.Package)
	if err != nil || len(sdkPkgs) != 1 || len(sdkPkgs[0].Errors) > 0 {
		return fmt.Errorf("type-checking the base file's types: loading the SDK package %s: %v", k.Package, loadErr(err, sdkPkgs))
	}
	for path, p := range sdkPkgs[0].Imports {
		names[p.Name] = path
	}
	for _, imp := range slices.Concat(o.known, k.Imports) {
		names[imp.PackageName()] = imp.Path
	}
	names[sdkPkgs[0].Name] = k.Package

	// One alias per type, the base file's and, where the SDK declares
	// one, the SDK's, in a package of the host's build list.
	used := map[string]string{}
	var decls []string
	for i, g := range gs {
		for _, e := range []string{g.expr, *g.at} {
			expr, err := manifest.ParseType(e)
			if err != nil {
				return fmt.Errorf("base file: %s: %s: %w", g.field, g.name, err)
			}
			for _, q := range manifest.Qualifiers(expr) {
				path, ok := names[q]
				if !ok {
					return fmt.Errorf("base file: %s: %s: %q refers to package %s, which is neither the SDK (%s) nor a package the SDK imports", g.field, g.name, g.expr, q, sdkPkgs[0].Name)
				}
				used[q] = path
			}
		}
		decls = append(decls, fmt.Sprintf("type given%d = %s", i, g.expr), fmt.Sprintf("type sdk%d = %s", i, *g.at))
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
	pkgDir := filepath.Join(dir, "scaffoldcheck")
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(pkgDir, "check.go"), []byte(src.String()), 0o644); err != nil {
		return err
	}
	pcfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedSyntax, Dir: dir, Env: env}
	if len(cfg.Tags) > 0 {
		pcfg.BuildFlags = []string{"-tags=" + strings.Join(cfg.Tags, ",")}
	}
	pkgs, err := packages.Load(pcfg, "./scaffoldcheck")
	var msgs []string
	if err != nil {
		msgs = strings.Split(err.Error(), "\n")
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			msgs = append(msgs, e.Pos+": "+e.Msg)
		}
	}
	// The go command and the type checker both say file:line:col: msg;
	// the line tells the field.
	for _, msg := range msgs {
		_, rest, ok := strings.Cut(msg, "check.go:")
		if !ok {
			continue
		}
		parts := strings.SplitN(rest, ":", 3)
		if len(parts) < 3 {
			continue
		}
		if l, err := strconv.Atoi(parts[0]); err == nil {
			if j := l - header - 1; j >= 0 && j < len(decls) {
				g := gs[j/2]
				return fmt.Errorf("base file: %s: %s: %q does not type-check against the SDK %s %s: %s", g.field, g.name, g.expr, m.SDK.Module, m.SDK.Version, strings.TrimSpace(parts[2]))
			}
		}
	}
	if err != nil || len(pkgs) != 1 || len(msgs) > 0 {
		return fmt.Errorf("type-checking the base file's types: %v", loadErr(err, pkgs))
	}
	p := pkgs[0]
	scope := p.Types.Scope()
	for i, g := range gs {
		a, b := scope.Lookup(fmt.Sprintf("given%d", i)), scope.Lookup(fmt.Sprintf("sdk%d", i))
		if a == nil || b == nil {
			return fmt.Errorf("type-checking the base file's types: %s lost", g.field)
		}
		if !types.Identical(types.Unalias(a.Type()), types.Unalias(b.Type())) && strings.HasSuffix(g.field, ".sdkType") {
			return fmt.Errorf("base file: %s: %s: %s is %s, not the symbol's type %s", g.field, g.name, g.expr, types.Unalias(a.Type()), *g.at)
		}
		if !types.Identical(types.Unalias(a.Type()), types.Unalias(b.Type())) {
			return fmt.Errorf("base file: %s: %s: the base file says %s, but the SDK %s %s declares %s: remove the type from the base file, or correct it", g.field, g.name, g.expr, m.SDK.Module, m.SDK.Version, *g.at)
		}
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

func loadErr(err error, pkgs []*packages.Package) error {
	if err != nil {
		return err
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return p.Errors[0]
		}
	}
	return fmt.Errorf("found %d packages", len(pkgs))
}

// replaceWithDir makes the module in dir take module path from the
// directory src.
func replaceWithDir(dir, path, src string) error {
	if src == "" {
		return missingFlag("--sdk-dir", ": the SDK is the host's own module")
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	name := filepath.Join(dir, "go.mod")
	data, err := input.ReadFile(name, input.SourceLimit)
	if err != nil {
		return err
	}
	f, err := modfile.Parse(name, data, nil)
	if err != nil {
		return err
	}
	if err := f.AddRequire(path, "v0.0.0-00010101000000-000000000000"); err != nil {
		return err
	}
	if err := f.AddReplace(path, "", abs, ""); err != nil {
		return err
	}
	out, err := f.Format()
	if err != nil {
		return err
	}
	return os.WriteFile(name, out, 0o644)
}
