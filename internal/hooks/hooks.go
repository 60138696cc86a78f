// Package hooks turns a contract into the Go code of a hello-world plugin:
// every method or function with the contract's exact signature and a body
// that honours its context and passes its inputs through; compile-time
// assertions of every symbol's type; tests that call the hooks without
// plugin.Open; and a load harness that opens the built plugin the way the
// host does. Templates lay the pieces out; the decisions that need Go's
// syntax are made here.
package hooks

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/importname"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// Receiver is the receiver name of every generated method.
const Receiver = "p"

// A Set is the hello-world implementation of a contract.
type Set struct {
	Kind string
	// Imports are the import specs the implementation needs: the standard
	// library's, then an empty string, then the others, each group sorted.
	Imports []string
	// TestImports are the import specs its tests need, grouped the same way.
	TestImports []string
	// Interface is the qualified interface type, e.g. "sdk.Plugin", for
	// the interface kinds.
	Interface string
	// Symbol is the exported variable the host looks up (interface-variable).
	Symbol string
	// Constructor is the exported function the host calls (constructor).
	Constructor *Func
	// Methods implement the interface.
	Methods []Func
	// Funcs are exported functions: symbols and handlers.
	Funcs []Func
	// Vars are exported variables of a symbol set.
	Vars []Var
	// Assertions are declarations that fail the build when a symbol's type
	// drifts from the contract's, such as "var _ func() error = Cleanup".
	Assertions []string
	// LocalInterface is the declaration of the plugin's copy of the
	// host's interface (implementer), when the plugin does not import it.
	LocalInterface string
	// ProofNote says which interface the compile-time proof uses and why
	// (implementer), when it is the host's own.
	ProofNote string
	// TestHelper is Go source of helpers the tests share, if any.
	TestHelper string
	// Impls are types of the plugin's own implementing the interfaces
	// that functions of a symbol set return.
	Impls []Impl
	// Tests are the functions and methods whose tests the test file
	// holds, in the file's order.
	Tests []Func
	// Harness is the load harness's code.
	Harness Harness
}

// A Func is one function or method of the implementation.
type Func struct {
	Name string
	// TestName names its tests: TestName, TestNameCancelled.
	TestName string
	// Decls are declarations its example gives, which the file holds
	// after the function.
	Decls string
	// Doc is the SDK's doc comment.
	Doc string
	// Signature is the parameter and result lists, with parameter names.
	Signature string
	// Body is the function's statements.
	Body string
	// Test is the body of a test that calls the function.
	Test string
	// CancelTest, when not empty, is the body of a test that the function
	// returns the context's error once the context is cancelled.
	CancelTest string
}

// A Var is an exported variable of a symbol set.
type Var struct {
	Name, Type, Doc string
}

// A Harness is the load harness: a program that opens the built plugin,
// looks its symbols up and asserts their types as the host does, and calls
// them with sample input.
type Harness struct {
	// Imports are the harness's import specs. Its own (plugin, fmt, os)
	// are under their placeholders, as the template refers to them:
	// formatting the file names them (see [importname]), so that a host
	// package called plugin keeps its name beside the standard one.
	Imports []string
	// Body is the statements that run once the plugin p is open.
	Body string
}

// Options are the choices of the plugin's author that shape the code.
type Options struct {
	// Type is the implementing type of the interface kinds; parameter
	// names must not shadow it.
	Type string
	// Optional lists the optional symbols to implement.
	Optional []string
	// Handlers lists the handler functions to write.
	Handlers []string
	// Proof, when not nil, is the interface's method set the
	// implementer's local copy declares, where it is not the methods
	// implemented: an upgrade keeps the author's methods of the earlier
	// release and proves them against the new release's interface.
	Proof []manifest.Method
	// String, when not empty, is the Go expression a function returns
	// for a string result it does not pass through, instead of "": an
	// upgrade's stubs, written without the manifest's examples, return
	// the plugin's name, as the tests of a hook with an example expect a
	// string that is not empty.
	String string
	// Module is the plugin's module path, which a struct the host reads
	// to tell plugins apart is filled with where a field says module or
	// path.
	Module string
}

// New builds the hello-world implementation of k.
func New(k *manifest.Contract, o Options) (*Set, error) {
	k, err := canonical(k)
	if err != nil {
		return nil, err
	}
	renames, err := requalify(k)
	if err != nil {
		return nil, err
	}
	if len(renames) > 0 && o.Proof != nil {
		proof := slices.Clone(o.Proof)
		for i := range proof {
			if proof[i].Signature, err = renameInType(proof[i].Signature, renames); err != nil {
				return nil, fmt.Errorf("method %s: %w", proof[i].Name, err)
			}
		}
		o.Proof = proof
	}
	s := &Set{Kind: k.Kind}
	g := &gen{k: k, o: o, imports: imports{}, tests: imports{}, harness: imports{}}
	// The names the examples declare are the plugin's file's: no
	// parameter may shadow them. Whether they clash with a name the
	// generated files declare is checked once those are known.
	if g.declared, err = checkDeclared(k); err != nil {
		return nil, err
	}
	// The generator's own imports are under placeholders, named once each
	// file's imports are known: a host may have packages of these names.
	g.tests.add(importname.Spec("testing"))
	g.harness.add(importname.Spec("fmt"), importname.Spec("os"), importname.Spec("plugin"),
		importname.Spec("reflect"), importname.Spec("strings"))
	// The plugin logs which build was loaded, through the host's own log
	// package (plugins share the standard library with their host).
	g.imports.add(importname.Spec("log"))
	switch k.Kind {
	case manifest.KindInterfaceVariable, manifest.KindConstructor:
		err = g.interfaceKind(s)
	case manifest.KindSymbols:
		err = g.symbols(s)
	case manifest.KindHandlers:
		err = g.handlers(s)
	case manifest.KindImplementer:
		err = g.implementer(s)
	default:
		err = fmt.Errorf("contract kind %q is not supported", k.Kind)
	}
	if err != nil {
		return nil, err
	}
	if err := checkTaken(g.declared, s.names(o)); err != nil {
		return nil, err
	}
	g.useExamples()
	s.Tests = slices.Concat(s.Methods, s.Funcs)
	for _, im := range s.Impls {
		s.Tests = append(s.Tests, im.Methods...)
	}
	s.Imports = g.imports.grouped()
	s.TestImports = g.tests.grouped()
	s.Harness.Imports = g.harness.grouped()
	return s, nil
}

// gen holds what one generation collects on the way.
type gen struct {
	k                       *manifest.Contract
	o                       Options
	imports, tests, harness imports
	// declared are the names examples declare in the plugin's file.
	declared []declaration
	// impls are the types implementing interfaces the functions of a
	// symbol set return.
	impls []*impl
}

// names lists the names the generated plugin file declares, beside the
// fixed ones (see [Reserved]).
func (s *Set) names(o Options) map[string]bool {
	names := map[string]bool{o.Type: true}
	for _, n := range []string{s.Symbol, s.Interface} {
		names[n] = n != ""
	}
	if s.Constructor != nil {
		names[s.Constructor.Name] = true
	}
	for _, f := range s.Funcs {
		names[f.Name] = true
	}
	for _, v := range s.Vars {
		names[v.Name] = true
	}
	for _, im := range s.Impls {
		names[im.Type] = im.Declared
	}
	return names
}

// useExamples imports, into the plugin's file, each package of the
// contract's that an example uses: a type an example declares may need
// one its function's signature does not.
func (g *gen) useExamples() {
	for _, t := range g.k.GoTexts() {
		if t.Kind != manifest.TextStatements || *t.Text == "" {
			continue
		}
		e, err := manifest.ParseExample(*t.Text)
		if err != nil {
			continue // refused before
		}
		for _, q := range manifest.Qualifiers(e.Node()) {
			for _, imp := range g.k.Imports {
				if imp.PackageName() == q {
					g.imports.add(importSpec(g.k, q))
				}
			}
		}
	}
}

// qualified returns the name a contract package is called by.
func (g *gen) pkgName(path string) string { return g.k.ImportName(path) }

// stdName returns the name the contract's signatures give the standard
// package at path, or "" when they do not import it: a host package may
// then have its name (a context package of an SDK), and its types must
// not be taken for the standard ones.
func (g *gen) stdName(path string) string {
	for _, imp := range g.k.Imports {
		if imp.Path == path {
			return imp.PackageName()
		}
	}
	return ""
}

// use records the imports a signature needs in the implementation, the
// tests and the harness.
func (g *gen) use(f *fn) {
	for _, q := range f.qualifiers {
		spec := importSpec(g.k, q)
		g.imports.add(spec)
		g.tests.add(spec)
		g.harness.add(spec)
	}
}

func (g *gen) interfaceKind(s *Set) error {
	s.Interface = g.pkgName(g.k.Package) + "." + g.k.Interface
	s.Symbol = g.k.Symbol
	pkg := importSpec(g.k, g.pkgName(g.k.Package))
	g.imports.add(pkg)
	g.tests.add(pkg)
	g.harness.add(pkg)
	target := g.k.Symbol
	var ctor *fn
	if g.k.Kind == manifest.KindConstructor {
		var err error
		if ctor, err = g.newFn(g.k.Constructor.Name, g.k.Constructor.Signature, "", "", false); err != nil {
			return fmt.Errorf("constructor %s: %w", g.k.Constructor.Name, err)
		}
		ctor.iface, ctor.impl = s.Interface, g.o.Type
		g.use(ctor)
		f := ctor.build(g)
		f.Test = "" // the methods' tests call it through newPlugin
		s.Constructor = &f
		s.Assertions = append(s.Assertions, fmt.Sprintf("var _ %s = %s", g.k.Constructor.Signature, g.k.Constructor.Name))
		s.TestHelper = ctor.instanceHelper(g, "newPlugin", s.Interface)
		target = "newPlugin(t)"
	}
	s.Assertions = append(s.Assertions, fmt.Sprintf("var _ %s = (*%s)(nil)", s.Interface, g.o.Type))
	var methods []*fn
	for _, m := range g.k.Methods {
		f, err := g.newFn(m.Name, m.Signature, m.Doc, m.Example, true)
		if err != nil {
			return fmt.Errorf("method %s: %w", m.Name, err)
		}
		f.target = target
		g.use(f)
		s.Methods = append(s.Methods, f.build(g))
		methods = append(methods, f)
	}
	s.Harness.Body = g.interfaceHarness(s, ctor, methods)
	return nil
}

func (g *gen) symbols(s *Set) error {
	for _, name := range g.o.Optional {
		if !slices.Contains(g.k.Optional(), name) {
			return fmt.Errorf("%s is not an optional symbol of the contract (optional: %s)", name, strings.Join(g.k.Optional(), ", "))
		}
	}
	var chosen []manifest.Symbol
	for _, sym := range g.k.Symbols {
		if sym.Required || slices.Contains(g.o.Optional, sym.Name) {
			chosen = append(chosen, sym)
		}
	}
	if err := g.planImpls(chosen); err != nil {
		return err
	}
	var funcs []*fn
	for _, sym := range chosen {
		s.Assertions = append(s.Assertions, assertions(sym.Name, sym.Type, sym.SDKType)...)
		if !sym.IsFunc() {
			s.Vars = append(s.Vars, Var{Name: sym.Name, Type: sym.Type, Doc: sym.Doc})
			expr, err := manifest.ParseType(sym.Type)
			if err != nil {
				return err
			}
			g.useQualifiers(manifest.Qualifiers(expr))
			continue
		}
		f, err := g.newFn(sym.Name, sym.Type, sym.Doc, sym.Example, false)
		if err != nil {
			return fmt.Errorf("symbol %s: %w", sym.Name, err)
		}
		g.use(f)
		s.Funcs = append(s.Funcs, f.build(g))
		funcs = append(funcs, f)
	}
	g.useSDKTypes(chosen)
	if err := g.implMethods(s, funcs); err != nil {
		return err
	}
	// The harness asserts the type of every symbol the plugin may
	// export, optional ones it was not generated with included: their
	// packages are imports of the harness too.
	for _, sym := range g.k.Symbols {
		expr, err := manifest.ParseType(sym.Type)
		if err != nil {
			return fmt.Errorf("symbol %s: %w", sym.Name, err)
		}
		for _, q := range manifest.Qualifiers(expr) {
			g.harness.add(importSpec(g.k, q))
		}
	}
	s.Harness.Body = g.symbolsHarness(funcs)
	return nil
}

func (g *gen) handlers(s *Set) error {
	if len(g.o.Handlers) == 0 {
		return fmt.Errorf("no handler names: the plugin needs at least one")
	}
	h := g.k.Handler
	var funcs []*fn
	for _, name := range g.o.Handlers {
		if err := manifest.CheckIdent(name); err != nil {
			return fmt.Errorf("handler name: %w", err)
		}
		doc := name + " is a handler, which the host calls by the name its configuration gives."
		if h.Doc != "" {
			doc += "\n\n" + h.Doc
		}
		f, err := g.newFn(name, h.Type, doc, h.Example, false)
		if err != nil {
			return fmt.Errorf("handler %s: %w", name, err)
		}
		g.use(f)
		built := f.build(g)
		if len(funcs) > 0 {
			built.Decls = "" // the handlers share one example: its declarations are the file's once
		}
		s.Funcs = append(s.Funcs, built)
		s.Assertions = append(s.Assertions, assertions(name, h.Type, h.SDKType)...)
		funcs = append(funcs, f)
	}
	if h.SDKType != "" {
		g.imports.add(importSpec(g.k, strings.Split(h.SDKType, ".")[0]))
	}
	s.Harness.Body = g.handlersHarness(funcs)
	return nil
}

// assertions hold a symbol to the type the host asserts and, when the SDK
// declares the type, to the SDK's declaration: a manifest that drifted from
// the SDK then fails the build, naming the symbol and both types.
func assertions(name, typ, sdkType string) []string {
	out := []string{fmt.Sprintf("var _ %s = %s", typ, name)}
	if sdkType != "" {
		out = append(out, fmt.Sprintf("var _ %s = %s", sdkType, name))
	}
	return out
}

func (g *gen) useQualifiers(qs []string) {
	for _, q := range qs {
		spec := importSpec(g.k, q)
		g.imports.add(spec)
		g.harness.add(spec)
	}
}

func (g *gen) useSDKTypes(syms []manifest.Symbol) {
	for _, sym := range syms {
		if sym.SDKType != "" {
			g.imports.add(importSpec(g.k, strings.Split(sym.SDKType, ".")[0]))
		}
	}
}

// importSpec writes the import of the package signatures call name.
func importSpec(k *manifest.Contract, name string) string {
	for _, imp := range k.Imports {
		if imp.PackageName() == name {
			if imp.Name != "" {
				return imp.Name + " " + strconv.Quote(imp.Path)
			}
			return strconv.Quote(imp.Path)
		}
	}
	return strconv.Quote(name) // a standard package named like its path
}

// imports is a set of import specs.
type imports map[string]bool

func (is imports) add(specs ...string) {
	for _, s := range specs {
		is[s] = true
	}
}

func (is imports) grouped() []string {
	var specs []string
	for spec := range is {
		specs = append(specs, spec)
	}
	return GroupImports(specs)
}

// GroupImports orders import specs as goimports does: standard library
// first, an empty string for a blank line, then the rest.
func GroupImports(specs []string) []string {
	var std, other []string
	for _, spec := range specs {
		if spec == "" {
			continue
		}
		if first, _, _ := strings.Cut(importPath(spec), "/"); strings.Contains(first, ".") {
			other = append(other, spec)
		} else {
			std = append(std, spec)
		}
	}
	byPath := func(list []string) {
		sort.Slice(list, func(i, j int) bool { return importPath(list[i]) < importPath(list[j]) })
	}
	byPath(std)
	byPath(other)
	std, other = slices.Compact(std), slices.Compact(other)
	if len(std) > 0 && len(other) > 0 {
		std = append(std, "")
	}
	return append(std, other...)
}

func importPath(spec string) string {
	return strings.Trim(spec[strings.IndexByte(spec, '"'):], `"`)
}
