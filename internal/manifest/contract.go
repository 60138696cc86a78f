package manifest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// Contract kinds: how the host finds the plugin's code.
const (
	// KindInterfaceVariable: the plugin exports a variable of the SDK's
	// interface type; Lookup returns a pointer to it.
	KindInterfaceVariable = "interface-variable"
	// KindConstructor: the plugin exports a function returning the
	// interface, such as func New(config json.RawMessage) (sdk.Plugin, error).
	KindConstructor = "constructor"
	// KindSymbols: the plugin exports a set of functions or variables with
	// fixed names and types, some required and some optional.
	KindSymbols = "symbols"
	// KindHandlers: the plugin exports functions of one type the host
	// fixes, under names the plugin's author chooses and the host's
	// configuration then gives.
	KindHandlers = "handlers"
	// KindImplementer: the plugin exports a variable of a type of its
	// own; Lookup returns a pointer to it, which the host asserts to an
	// interface, structurally. The plugin need not import the interface's
	// package.
	KindImplementer = "implementer"
)

// Kinds lists the contract kinds this build knows.
var Kinds = []string{KindInterfaceVariable, KindConstructor, KindSymbols, KindHandlers, KindImplementer}

// A Contract says what the host looks up in a plugin and what type it
// expects there.
type Contract struct {
	Kind string `json:"kind" yaml:"kind"`
	// Package is the import path of the SDK package that declares the
	// contract's types.
	Package string `json:"package,omitempty" yaml:"package,omitempty"`
	// Interface is the name of the interface type in Package that the
	// plugin implements (interface-variable, constructor).
	Interface string `json:"interface,omitempty" yaml:"interface,omitempty"`
	// Symbol is the variable the host passes to plugin.Lookup
	// (interface-variable).
	Symbol string `json:"symbol,omitempty" yaml:"symbol,omitempty"`
	// Constructor is the function the host looks up and calls
	// (constructor).
	Constructor *Func `json:"constructor,omitempty" yaml:"constructor,omitempty"`
	// Imports are the packages the signatures refer to.
	Imports []Import `json:"imports" yaml:"imports"`
	// Methods is the interface's full method set (interface-variable,
	// constructor).
	Methods []Method `json:"methods,omitempty" yaml:"methods,omitempty"`
	// Symbols are the exported names the host looks up (symbols).
	Symbols []Symbol `json:"symbols,omitempty" yaml:"symbols,omitempty"`
	// Handler is the type of every handler (handlers).
	Handler *Handler `json:"handler,omitempty" yaml:"handler,omitempty"`
	// Types describe the named types of the SDK that the symbols'
	// functions return, as read from the SDK's source when the manifest
	// is made: an interface's method set, a struct's string fields
	// (symbols). A host may take a plugin only when what its functions
	// return is live: an instance, not nil; a struct naming the plugin,
	// not zero. The hello-world implements each interface with a type of
	// its own and fills each struct.
	Types []NamedType `json:"types,omitempty" yaml:"types,omitempty"`
}

// A NamedType is a type of the SDK a symbol's function returns: an
// interface, with its methods, or a struct, with its fields of type
// string.
type NamedType struct {
	// Name is the type as the symbols' types write it, such as
	// "sdk.Info".
	Name string `json:"name" yaml:"name"`
	// Methods are an interface's full method set; their examples open
	// the methods' hello-world bodies.
	Methods []Method `json:"methods,omitempty" yaml:"methods,omitempty"`
	// StringFields are a struct's exported fields of type string, which
	// the hello-world fills when no example does: with the plugin's name
	// a field whose name says name, with its module path one whose name
	// says module or path.
	StringFields []Field `json:"stringFields,omitempty" yaml:"stringFields,omitempty"`
}

// A Field is a field of a struct.
type Field struct {
	Name string `json:"name" yaml:"name"`
	// Doc is the field's doc comment in the SDK.
	Doc string `json:"doc,omitempty" yaml:"doc,omitempty"`
}

// Type returns the type of k.Types named name, or nil.
func (k *Contract) Type(name string) *NamedType {
	for i := range k.Types {
		if k.Types[i].Name == name {
			return &k.Types[i]
		}
	}
	return nil
}

// An Import is a package a signature refers to by its name.
type Import struct {
	Path string `json:"path" yaml:"path"`
	// Name is the package name used in signatures, when it is not the last
	// element of Path.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
}

// A Method is one method of the contract interface.
type Method struct {
	Name string `json:"name" yaml:"name"`
	// Signature is the method's Go type written as a func type, e.g.
	// "func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)".
	Signature string `json:"signature" yaml:"signature"`
	// Doc is the method's doc comment in the SDK, without comment markers.
	Doc string `json:"doc,omitempty" yaml:"doc,omitempty"`
	// Example is Go statements that open the hello-world body of the
	// method, so that a new plugin does something a user can see.
	Example string `json:"example,omitempty" yaml:"example,omitempty"`
}

// A Func is an exported function the host looks up by name.
type Func struct {
	Name      string `json:"name" yaml:"name"`
	Signature string `json:"signature" yaml:"signature"`
}

// A Symbol is one exported function or variable of a symbol set.
type Symbol struct {
	Name string `json:"name" yaml:"name"`
	// Type is the exact Go type the host asserts, e.g.
	// "func(config any) error" for a function or "string" for a variable.
	Type string `json:"type" yaml:"type"`
	// Required symbols must be exported; the host calls optional ones
	// only when the plugin exports them.
	Required bool `json:"required" yaml:"required"`
	// SDKType names the SDK's own declaration of the type, e.g.
	// "sdk.InitFunc", so that generated code holds Type to the SDK.
	SDKType string `json:"sdkType,omitempty" yaml:"sdkType,omitempty"`
	Doc     string `json:"doc,omitempty" yaml:"doc,omitempty"`
	Example string `json:"example,omitempty" yaml:"example,omitempty"`
}

// IsFunc tells whether the symbol is a function rather than a variable.
func (s Symbol) IsFunc() bool { return strings.HasPrefix(s.Type, "func(") }

// A Handler is the type the host fixes for every handler of a plugin.
type Handler struct {
	// Type is the handlers' Go func type, e.g.
	// "func(http.ResponseWriter, *http.Request)".
	Type    string `json:"type" yaml:"type"`
	SDKType string `json:"sdkType,omitempty" yaml:"sdkType,omitempty"`
	Doc     string `json:"doc,omitempty" yaml:"doc,omitempty"`
	Example string `json:"example,omitempty" yaml:"example,omitempty"`
}

// ImportName is the name signatures use for the package at path.
func (k *Contract) ImportName(path string) string {
	for _, imp := range k.Imports {
		if imp.Path == path {
			return imp.PackageName()
		}
	}
	return DefaultPackageName(path)
}

// PackageName is the name signatures use for imp: its Name, or the name Go
// tools guess from the path.
func (imp Import) PackageName() string {
	if imp.Name != "" {
		return imp.Name
	}
	return DefaultPackageName(imp.Path)
}

// AppendImports appends to imps one import per entry of used (package name
// to import path), sorted by path, naming the package only where its name
// is not the one [DefaultPackageName] guesses.
func AppendImports(imps []Import, used map[string]string) []Import {
	n := len(imps)
	for name, path := range used {
		imp := Import{Path: path}
		if DefaultPackageName(path) != name {
			imp.Name = name
		}
		imps = append(imps, imp)
	}
	slices.SortFunc(imps[n:], func(a, b Import) int { return strings.Compare(a.Path, b.Path) })
	return imps
}

var majorRE = lazyre.New(`^v[0-9]+$`)

// DefaultPackageName guesses a package's name from its import path the way
// goimports does: the last element, skipping a major version suffix and
// dropping a "go-" prefix or ".vN" suffix.
func DefaultPackageName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if majorRE.MatchString(name) && len(elems) > 1 {
		name = elems[len(elems)-2]
	}
	name = strings.TrimPrefix(name, "go-")
	if i := strings.Index(name, ".v"); i > 0 {
		name = name[:i]
	}
	return strings.NewReplacer("-", "_", ".", "_").Replace(name)
}

// SpecName returns the name a file's import spec makes its package known
// by, and the package's import path; ok is false for a malformed path.
func SpecName(spec *ast.ImportSpec) (name, path string, ok bool) {
	path, err := strconv.Unquote(spec.Path.Value)
	if err != nil {
		return "", "", false
	}
	if spec.Name != nil {
		return spec.Name.Name, path, true
	}
	return DefaultPackageName(path), path, true
}

// ParseSignature parses a method signature written as a Go func type.
func ParseSignature(sig string) (*ast.FuncType, error) {
	expr, err := parser.ParseExpr(sig)
	if err != nil {
		return nil, fmt.Errorf("%s does not parse as a Go func type: %v", quote(sig), trimParseError(err))
	}
	ft, ok := expr.(*ast.FuncType)
	if !ok {
		return nil, fmt.Errorf("%s is not a func type: write it as func(parameters) results", quote(sig))
	}
	return ft, nil
}

// ParseStatements parses Go statements, as a method's example body.
func ParseStatements(src string) ([]ast.Stmt, error) {
	body, _, _, err := ParseBody(src)
	if err != nil {
		return nil, err
	}
	return body.List, nil
}

// ParseBody parses Go statements as the body of a function, with their
// comments, in a file of their own. Text that closes the body and goes on
// with declarations of its own is refused: it would be pasted into a
// generated file as code.
func ParseBody(src string) (*ast.BlockStmt, *ast.File, *token.FileSet, error) {
	fset := token.NewFileSet()
	file := "package p\nfunc _() {\n" + src + "\n}\n"
	f, err := parser.ParseFile(fset, "", file, parser.ParseComments)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("does not parse as Go statements: %v", trimParseError(err))
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || len(f.Decls) != 1 || fd.Body == nil || fset.Position(fd.Body.Rbrace).Offset != len(file)-2 {
		return nil, nil, nil, fmt.Errorf("is not only Go statements: it closes the function body; write the statements of one body")
	}
	return fd.Body, f, fset, nil
}

// trimParseError drops go/parser's position prefix, which counts from an
// invented file.
func trimParseError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.Count(msg[:i], ":") <= 2 {
		msg = msg[i+2:]
	}
	return strings.Split(msg, "\n")[0]
}

// Qualifiers returns the package names a type expression refers to.
func Qualifiers(n ast.Node) []string {
	var names []string
	seen := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && !seen[id.Name] {
				seen[id.Name] = true
				names = append(names, id.Name)
			}
			return false
		}
		return true
	})
	return names
}

func checkExported(s string) error {
	if !token.IsIdentifier(s) || !token.IsExported(s) {
		return fmt.Errorf("%s is not an exported Go identifier", quote(s))
	}
	return nil
}

// kindFields lists, for each kind, the fields it uses; any other field of
// the contract is a mistake worth reporting.
var kindFields = map[string][]string{
	KindInterfaceVariable: {"package", "interface", "symbol", "methods"},
	KindConstructor:       {"package", "interface", "constructor", "methods"},
	KindSymbols:           {"package", "symbols", "types"},
	KindHandlers:          {"package", "handler"},
	KindImplementer:       {"package", "interface", "symbol", "methods"},
}

func (k *Contract) validate(c *checker, sdkModule string) {
	if k.Kind == "" {
		c.add("contract.kind", fmt.Errorf("missing (known kinds: %s)", strings.Join(Kinds, ", ")))
		return
	}
	fields, ok := kindFields[k.Kind]
	if !ok {
		c.add("contract.kind", fmt.Errorf("unknown contract kind %s (known kinds: %s)", quote(k.Kind), strings.Join(Kinds, ", ")))
		return
	}
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"package", k.Package != ""}, {"interface", k.Interface != ""}, {"symbol", k.Symbol != ""},
		{"constructor", k.Constructor != nil}, {"methods", len(k.Methods) > 0},
		{"symbols", len(k.Symbols) > 0}, {"handler", k.Handler != nil}, {"types", len(k.Types) > 0},
	} {
		if f.set && !slices.Contains(fields, f.name) {
			c.add("contract."+f.name, fmt.Errorf("is not used by kind %s (it uses %s)", k.Kind, strings.Join(fields, ", ")))
		}
	}
	names := k.validateImports(c)
	switch k.Kind {
	case KindInterfaceVariable, KindConstructor:
		c.required("contract.package", k.Package, func(p string) error { return checkPackage(p, sdkModule, names) })
		c.required("contract.interface", k.Interface, checkExported)
		if k.Kind == KindInterfaceVariable {
			c.required("contract.symbol", k.Symbol, checkExported)
		} else if k.Constructor == nil {
			c.add("contract.constructor", fmt.Errorf("missing: the function the host calls, with its signature"))
		} else {
			c.required("contract.constructor.name", k.Constructor.Name, checkExported)
			k.checkFunc(c, "contract.constructor.signature", k.Constructor.Signature, names)
		}
		k.validateMethods(c, names)
	case KindImplementer:
		// The plugin proves its type against a copy of the interface, so
		// the package is an import only when the methods name it.
		c.required("contract.package", k.Package, func(p string) error { return checkPackage(p, sdkModule, nil) })
		c.required("contract.interface", k.Interface, checkExported)
		c.required("contract.symbol", k.Symbol, checkExported)
		k.validateMethods(c, names)
	case KindSymbols:
		if k.Package != "" {
			c.add("contract.package", checkPackage(k.Package, sdkModule, nil))
		}
		k.validateSymbols(c, names)
		k.validateTypes(c, names)
	case KindHandlers:
		if k.Package != "" {
			c.add("contract.package", checkPackage(k.Package, sdkModule, nil))
		}
		if k.Handler == nil {
			c.add("contract.handler", fmt.Errorf("missing: the func type of every handler"))
			return
		}
		k.checkFunc(c, "contract.handler.type", k.Handler.Type, names)
		k.checkSDKType(c, "contract.handler.sdkType", k.Handler.SDKType, names)
		k.checkExample(c, "contract.handler.example", k.Handler.Example)
	}
}

// checkPackage checks the contract package: an import path inside the SDK
// module, and listed among the imports when signatures name it.
func checkPackage(p, sdkModule string, names map[string]string) error {
	if err := module.CheckImportPath(p); err != nil {
		return err
	}
	if sdkModule != "" && p != sdkModule && !strings.HasPrefix(p, sdkModule+"/") {
		return fmt.Errorf("%s is not a package of the SDK module %s", p, sdkModule)
	}
	if names != nil && !slices.Contains(slices.Collect(maps.Values(names)), p) {
		return fmt.Errorf("%s is not listed in contract.imports", p)
	}
	return nil
}

// validateImports checks the imports and returns them by package name.
func (k *Contract) validateImports(c *checker) map[string]string {
	names := map[string]string{}
	for i, imp := range k.Imports {
		p := fmt.Sprintf("contract.imports[%d]", i)
		if imp.Path == "" {
			c.add(p+".path", fmt.Errorf("missing"))
			continue
		}
		if err := module.CheckImportPath(imp.Path); err != nil {
			c.add(p+".path", err)
			continue
		}
		name := imp.PackageName()
		if !token.IsIdentifier(name) || name == "_" {
			c.add(p+".name", fmt.Errorf("%s is not a package name: give one", quote(name)))
			continue
		}
		if other, dup := names[name]; dup {
			c.add(p, fmt.Errorf("package name %s is used by both %s and %s: give one of them a name", name, other, imp.Path))
			continue
		}
		names[name] = imp.Path
	}
	return names
}

func (k *Contract) validateMethods(c *checker, names map[string]string) {
	if len(k.Methods) == 0 {
		c.add("contract.methods", fmt.Errorf("missing: list the interface's methods"))
	}
	seen := map[string]bool{}
	for i, meth := range k.Methods {
		p := fmt.Sprintf("contract.methods[%d]", i)
		k.checkName(c, p+".name", meth.Name, seen)
		k.checkFunc(c, p+".signature", meth.Signature, names)
		k.checkExample(c, p+".example", meth.Example)
	}
}

func (k *Contract) validateSymbols(c *checker, names map[string]string) {
	if len(k.Symbols) == 0 {
		c.add("contract.symbols", fmt.Errorf("missing: list the symbols the host looks up"))
	}
	seen := map[string]bool{}
	for i, sym := range k.Symbols {
		p := fmt.Sprintf("contract.symbols[%d]", i)
		k.checkName(c, p+".name", sym.Name, seen)
		if sym.Type == "" {
			c.add(p+".type", fmt.Errorf("missing"))
		} else if expr, err := ParseType(sym.Type); err != nil {
			c.add(p+".type", err)
		} else {
			k.checkQualifiers(c, p+".type", expr, names)
		}
		k.checkSDKType(c, p+".sdkType", sym.SDKType, names)
		if sym.Example != "" && !sym.IsFunc() {
			c.add(p+".example", fmt.Errorf("only a function symbol has an example body"))
		} else {
			k.checkExample(c, p+".example", sym.Example)
		}
	}
}

// validateTypes checks the types the symbols' functions return: each
// named once, as a qualified name of a package the contract imports,
// with a method set or string fields.
func (k *Contract) validateTypes(c *checker, names map[string]string) {
	seen := map[string]bool{}
	for i, t := range k.Types {
		p := fmt.Sprintf("contract.types[%d]", i)
		switch {
		case t.Name == "":
			c.add(p+".name", fmt.Errorf("missing"))
		case seen[t.Name]:
			c.add(p+".name", fmt.Errorf("%s is listed twice", t.Name))
		default:
			k.checkSDKType(c, p+".name", t.Name, names)
		}
		seen[t.Name] = true
		switch {
		case len(t.Methods) == 0 && len(t.StringFields) == 0:
			c.add(p, fmt.Errorf("has neither methods (an interface) nor stringFields (a struct)"))
		case len(t.Methods) > 0 && len(t.StringFields) > 0:
			c.add(p, fmt.Errorf("has both methods and stringFields: a type is an interface or a struct"))
		}
		methods := map[string]bool{}
		for j, m := range t.Methods {
			mp := fmt.Sprintf("%s.methods[%d]", p, j)
			k.checkName(c, mp+".name", m.Name, methods)
			k.checkFunc(c, mp+".signature", m.Signature, names)
			k.checkExample(c, mp+".example", m.Example)
		}
		fields := map[string]bool{}
		for j, f := range t.StringFields {
			k.checkName(c, fmt.Sprintf("%s.stringFields[%d].name", p, j), f.Name, fields)
		}
	}
}

func (k *Contract) checkName(c *checker, path, name string, seen map[string]bool) {
	switch {
	case name == "":
		c.add(path, fmt.Errorf("missing"))
	case checkExported(name) != nil:
		c.add(path, checkExported(name))
	case seen[name]:
		c.add(path, fmt.Errorf("%s is listed twice", name))
	}
	seen[name] = true
}

func (k *Contract) checkFunc(c *checker, path, sig string, names map[string]string) {
	if sig == "" {
		c.add(path, fmt.Errorf("missing"))
		return
	}
	ft, err := ParseSignature(sig)
	if err != nil {
		c.add(path, err)
		return
	}
	k.checkQualifiers(c, path, ft, names)
}

func (k *Contract) checkQualifiers(c *checker, path string, n ast.Node, names map[string]string) {
	for _, q := range Qualifiers(n) {
		if _, ok := names[q]; !ok {
			c.add(path, fmt.Errorf("refers to package %s, which contract.imports does not list", q))
		}
	}
}

// checkSDKType checks a reference to a type the SDK declares: pkg.Name.
func (k *Contract) checkSDKType(c *checker, path, ref string, names map[string]string) {
	if ref == "" {
		return
	}
	pkg, name, ok := strings.Cut(ref, ".")
	if !ok || !token.IsIdentifier(pkg) || checkExported(name) != nil {
		c.add(path, fmt.Errorf("%s is not a qualified type name such as sdk.InitFunc", quote(ref)))
		return
	}
	if _, ok := names[pkg]; !ok {
		c.add(path, fmt.Errorf("refers to package %s, which contract.imports does not list", pkg))
	}
}

func (k *Contract) checkExample(c *checker, path, example string) {
	if example == "" {
		return
	}
	if _, err := ParseExample(example); err != nil {
		c.add(path, err)
	}
}

// ParseType parses a Go type expression, as a symbol's type.
func ParseType(typ string) (ast.Expr, error) {
	expr, err := parser.ParseExpr(typ)
	if err != nil {
		return nil, fmt.Errorf("%s does not parse as a Go type: %v", quote(typ), trimParseError(err))
	}
	switch expr.(type) {
	case *ast.Ident, *ast.SelectorExpr, *ast.StarExpr, *ast.ArrayType, *ast.MapType,
		*ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StructType:
	default:
		return nil, fmt.Errorf("%s is not a Go type", quote(typ))
	}
	// Parsed as an expression, sdk.a.B is a selector of a selector; in a
	// type, a qualified name is a package's name and a name, and what
	// reads a type takes the left of every selector for a package's name.
	qualified := true
	ast.Inspect(expr, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			_, isIdent := sel.X.(*ast.Ident)
			qualified = qualified && isIdent
			return false
		}
		return qualified
	})
	if !qualified {
		return nil, fmt.Errorf("%s is not a Go type: a qualified name is a package's name and a name, such as sdk.Request", quote(typ))
	}
	return expr, nil
}

// A Member is one thing a contract requires of a plugin's code: a method of
// the interface, or an exported symbol. Comparing the members of two
// contracts tells what a plugin must change to move from one to the other.
type Member struct {
	Name string
	// Signature is the member's Go type, as "func(...) ..." for functions
	// and methods.
	Signature string
	// Required is false for a member the plugin may leave out.
	Required bool
	// Method is true for a method of the interface, false for an exported
	// symbol of the plugin's package.
	Method bool
}

// Members lists what a plugin's code must provide, in manifest order:
// the constructor, the interface's methods, the symbols. Handlers, whose
// names the author chooses, are listed by [Contract.HandlerMembers].
func (k *Contract) Members() []Member {
	var ms []Member
	if k.Constructor != nil {
		ms = append(ms, Member{Name: k.Constructor.Name, Signature: k.Constructor.Signature, Required: true})
	}
	for _, m := range k.Methods {
		ms = append(ms, Member{Name: m.Name, Signature: m.Signature, Required: true, Method: true})
	}
	for _, s := range k.Symbols {
		ms = append(ms, Member{Name: s.Name, Signature: s.Type, Required: s.Required})
	}
	return ms
}

// HandlerMembers lists the handlers a plugin generated with these names
// provides.
func (k *Contract) HandlerMembers(names []string) []Member {
	if k.Handler == nil {
		return nil
	}
	var ms []Member
	for _, h := range names {
		ms = append(ms, Member{Name: h, Signature: k.Handler.Type, Required: true})
	}
	return ms
}

// LookupSymbols lists the exported names the host requires of every plugin
// and passes to plugin.Lookup. Optional symbols and handlers, whose names
// the author chooses, are not among them.
func (k *Contract) LookupSymbols() []string {
	switch k.Kind {
	case KindInterfaceVariable, KindImplementer:
		return []string{k.Symbol}
	case KindConstructor:
		if k.Constructor != nil {
			return []string{k.Constructor.Name}
		}
	case KindSymbols:
		var names []string
		for _, s := range k.Symbols {
			if s.Required {
				names = append(names, s.Name)
			}
		}
		return names
	}
	return nil
}

// Optional lists the names of the optional symbols.
func (k *Contract) Optional() []string {
	var names []string
	for _, s := range k.Symbols {
		if !s.Required {
			names = append(names, s.Name)
		}
	}
	return names
}
