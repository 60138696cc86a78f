// Package hooks turns a contract into the pieces of a hello-world plugin:
// each method with the contract's exact signature, a body that honours its
// context and passes its inputs through, and a test that calls it without
// plugin.Open. Templates lay the pieces out; the decisions that need Go's
// syntax are made here.
package hooks

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A Set is the hello-world implementation of a contract.
type Set struct {
	// Imports are the import specs the implementation needs: the standard
	// library's, then an empty string, then the others, each group sorted.
	Imports []string
	// TestImports are the import specs its test needs, grouped the same way.
	TestImports []string
	// Interface is the qualified interface type, e.g. "sdk.Plugin".
	Interface string
	Methods   []Method
}

// A Method is one method of the implementation.
type Method struct {
	Name string
	// Doc is the SDK's doc comment.
	Doc string
	// Signature is the parameter and result lists, with parameter names.
	Signature string
	// Body is the method's statements.
	Body string
	// Test is the body of a test that calls the method.
	Test string
	// CancelTest, when not empty, is the body of a test that the method
	// returns the context's error once the context is cancelled.
	CancelTest string
}

// Receiver is the receiver name of every generated method.
const Receiver = "p"

// New builds the hello-world implementation of k. target is the expression
// tests call methods on, e.g. "Plugin"; typ is the implementing type, whose
// name parameters must not shadow.
func New(k *manifest.Contract, target, typ string) (*Set, error) {
	s := &Set{Interface: k.ImportName(k.Package) + "." + k.Interface}
	imports := map[string]bool{}
	testImports := map[string]bool{`"testing"`: true}
	for _, m := range k.Methods {
		ft, err := manifest.ParseSignature(m.Signature)
		if err != nil {
			return nil, fmt.Errorf("method %s: %w", m.Name, err)
		}
		g := newMethod(k, m, ft, target, typ)
		for _, q := range manifest.Qualifiers(ft) {
			imports[importSpec(k, q)] = true
			testImports[importSpec(k, q)] = true
		}
		for _, q := range g.extraTestImports {
			testImports[q] = true
		}
		s.Methods = append(s.Methods, g.Method)
	}
	imports[importSpec(k, k.ImportName(k.Package))] = true
	testImports[importSpec(k, k.ImportName(k.Package))] = true
	s.Imports = group(imports)
	s.TestImports = group(testImports)
	return s, nil
}

// group orders import specs as goimports does: standard library first,
// a blank line, then the rest.
func group(specs map[string]bool) []string {
	var std, other []string
	for spec := range specs {
		path := spec[strings.IndexByte(spec, '"')+1 : len(spec)-1]
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, spec)
		} else {
			std = append(std, spec)
		}
	}
	sort.Slice(std, func(i, j int) bool { return importPath(std[i]) < importPath(std[j]) })
	sort.Slice(other, func(i, j int) bool { return importPath(other[i]) < importPath(other[j]) })
	if len(std) > 0 && len(other) > 0 {
		std = append(std, "")
	}
	return append(std, other...)
}

func importPath(spec string) string {
	return spec[strings.IndexByte(spec, '"'):]
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

// A param is one parameter of a method, named.
type param struct {
	name, typ string
	variadic  bool
}

type builder struct {
	Method
	params  []param
	results []string
	// through maps a result index to the parameter it passes through.
	through          map[int]int
	ctx              string // name of the context.Context parameter, if any
	extraTestImports []string
}

func newMethod(k *manifest.Contract, m manifest.Method, ft *ast.FuncType, target, typ string) *builder {
	b := &builder{Method: Method{Name: m.Name, Doc: m.Doc}}
	ctxName := k.ImportName("context") + ".Context"
	names := newNamer(k)
	names.take(typ)
	for _, f := range fieldsOf(ft.Params) {
		typ := typeString(f.typ)
		_, variadic := f.typ.(*ast.Ellipsis)
		// Parameter names are not part of the type: a given name that
		// would shadow a package, the receiver or a name of the file is
		// replaced.
		name := f.name
		if name == "" || name == "_" {
			name = names.forType(f.typ, typ == ctxName)
		} else {
			name = names.unique(name)
		}
		if typ == ctxName && b.ctx == "" {
			b.ctx = name
		}
		b.params = append(b.params, param{name: name, typ: typ, variadic: variadic})
	}
	for _, f := range fieldsOf(ft.Results) {
		b.results = append(b.results, typeString(f.typ))
	}
	b.Signature = b.signature(ft)
	b.Body = b.body(m.Example)
	b.Test, b.CancelTest = b.tests(k, target)
	return b
}

type field struct {
	name string
	typ  ast.Expr
}

// fieldsOf flattens a field list so that "a, b int" gives two fields.
func fieldsOf(fl *ast.FieldList) []field {
	if fl == nil {
		return nil
	}
	var out []field
	for _, f := range fl.List {
		if len(f.Names) == 0 {
			out = append(out, field{typ: f.Type})
		}
		for _, n := range f.Names {
			out = append(out, field{name: n.Name, typ: f.Type})
		}
	}
	return out
}

func typeString(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}

func (b *builder) signature(ft *ast.FuncType) string {
	var ps []string
	for _, p := range b.params {
		ps = append(ps, p.name+" "+p.typ)
	}
	sig := "(" + strings.Join(ps, ", ") + ")"
	switch res := fieldsOf(ft.Results); {
	case len(res) == 0:
	case len(res) == 1 && res[0].name == "":
		sig += " " + b.results[0]
	default:
		var rs []string
		for i, r := range res {
			if r.name != "" {
				rs = append(rs, r.name+" "+b.results[i])
			} else {
				rs = append(rs, b.results[i])
			}
		}
		sig += " (" + strings.Join(rs, ", ") + ")"
	}
	return sig
}

// zero returns a literal for the zero value of typ, or "" when typ is a
// named type whose kind only the type checker knows.
func zero(typ string) string {
	switch {
	case typ == "string":
		return `""`
	case typ == "bool":
		return "false"
	case numeric[typ]:
		return "0"
	case typ == "error", typ == "any", strings.HasPrefix(typ, "*"), strings.HasPrefix(typ, "[]"),
		strings.HasPrefix(typ, "map["), strings.HasPrefix(typ, "chan "), strings.HasPrefix(typ, "<-chan"),
		strings.HasPrefix(typ, "func("), strings.HasPrefix(typ, "interface{"):
		return "nil"
	}
	return ""
}

var numeric = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true, "byte": true, "rune": true,
}

// returns computes the values returned on the normal path: inputs of the
// result's type pass through, errors are nil, the rest is the zero value.
// Zero values of named types need a variable; their declarations are
// returned too.
func (b *builder) returns() (values, decls []string) {
	used := map[int]bool{}
	b.through = map[int]int{}
	for i, r := range b.results {
		v := ""
		for j, p := range b.params {
			if !used[j] && !p.variadic && p.typ == r && p.name != b.ctx {
				v, used[j] = p.name, true
				b.through[i] = j
				break
			}
		}
		if v == "" {
			v = zero(r)
		}
		if v == "" {
			v = fmt.Sprintf("out%d", i)
			decls = append(decls, fmt.Sprintf("var %s %s", v, r))
		}
		values = append(values, v)
	}
	return values, decls
}

func (b *builder) body(example string) string {
	var lines []string
	values, decls := b.returns()
	lines = append(lines, decls...)
	if b.ctx != "" {
		// A cancelled request must not be worked on: return at once,
		// with the context's error where the method can report one.
		early := append([]string(nil), values...)
		last := lastError(b.results)
		if last >= 0 {
			lines = append(lines, fmt.Sprintf("if err := %s.Err(); err != nil {", b.ctx))
			early[last] = "err"
		} else {
			lines = append(lines, fmt.Sprintf("if %s.Err() != nil {", b.ctx))
		}
		lines = append(lines, returnStmt(early), "}")
	}
	if example != "" {
		lines = append(lines, strings.TrimRight(example, "\n"))
		if endsInReturn(example) {
			return strings.Join(lines, "\n")
		}
	}
	if len(values) > 0 {
		lines = append(lines, returnStmt(values))
	}
	return strings.Join(lines, "\n")
}

// endsInReturn tells whether example statements end the method
// themselves, so that no return may follow them.
func endsInReturn(example string) bool {
	stmts, err := manifest.ParseStatements(example)
	if err != nil || len(stmts) == 0 {
		return false
	}
	_, ok := stmts[len(stmts)-1].(*ast.ReturnStmt)
	return ok
}

func returnStmt(values []string) string {
	if len(values) == 0 {
		return "return"
	}
	return "return " + strings.Join(values, ", ")
}

func lastError(results []string) int {
	for i := len(results) - 1; i >= 0; i-- {
		if results[i] == "error" {
			return i
		}
	}
	return -1
}
