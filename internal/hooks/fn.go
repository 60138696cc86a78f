package hooks

import (
	"fmt"
	"go/ast"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A param is one parameter, named.
type param struct {
	name, typ string
	variadic  bool
}

// fn is one function or method being generated.
type fn struct {
	name, doc, example string
	method             bool
	params             []param
	results            []string
	resultNames        []string
	ctx                string // the context.Context parameter, if any
	qualifiers         []string
	// through maps a result index to the parameter it passes through.
	through map[int]int
	// target is what tests call a method on.
	target string
	// iface and impl are set for a constructor: a result of type iface
	// is a new impl.
	iface, impl string
	// str is what a string result that is not passed through returns,
	// when not "".
	str string
}

func (g *gen) newFn(name, sig, doc, example string, method bool) (*fn, error) {
	ft, err := manifest.ParseSignature(sig)
	if err != nil {
		return nil, err
	}
	f := &fn{name: name, doc: doc, example: example, method: method, qualifiers: manifest.Qualifiers(ft), str: g.o.String}
	ctxType := g.stdName("context") + ".Context"
	names := newNamer(g.k)
	names.take(g.o.Type)
	for _, fd := range fieldsOf(ft.Params) {
		typ := typeString(fd.typ)
		_, variadic := fd.typ.(*ast.Ellipsis)
		// Parameter names are not part of the type: a given name that
		// would shadow a package, the receiver or a name of the file is
		// replaced.
		pname := fd.name
		if pname == "" || pname == "_" {
			pname = names.forType(fd.typ, typ == ctxType)
		} else {
			pname = names.unique(pname)
		}
		if typ == ctxType && f.ctx == "" {
			f.ctx = pname
		}
		f.params = append(f.params, param{name: pname, typ: typ, variadic: variadic})
	}
	for _, fd := range fieldsOf(ft.Results) {
		f.results = append(f.results, typeString(fd.typ))
		f.resultNames = append(f.resultNames, fd.name)
	}
	return f, nil
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

func (f *fn) build(g *gen) Func {
	out := Func{Name: f.name, Doc: f.doc, Signature: f.signature(), Body: f.body()}
	out.Test, out.CancelTest = f.tests(g)
	return out
}

func (f *fn) signature() string {
	var ps []string
	for _, p := range f.params {
		ps = append(ps, p.name+" "+p.typ)
	}
	sig := "(" + strings.Join(ps, ", ") + ")"
	named := false
	for _, n := range f.resultNames {
		named = named || n != ""
	}
	switch {
	case len(f.results) == 0:
	case len(f.results) == 1 && !named:
		sig += " " + f.results[0]
	default:
		var rs []string
		for i, r := range f.results {
			rs = append(rs, strings.TrimSpace(f.resultNames[i]+" "+r))
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
// result's type pass through, errors are nil, a constructor's interface
// result is a new implementation, the rest is the zero value. Zero values
// of named types need a variable; their declarations are returned too.
func (f *fn) returns() (values, decls []string) {
	used := map[int]bool{}
	f.through = map[int]int{}
	for i, r := range f.results {
		v := ""
		for j, p := range f.params {
			if !used[j] && !p.variadic && p.typ == r && p.name != f.ctx {
				v, used[j] = p.name, true
				f.through[i] = j
				break
			}
		}
		if v == "" && f.iface != "" && r == f.iface {
			v = "&" + f.impl + "{}"
		}
		if v == "" && r == "string" && f.str != "" {
			v = f.str
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

func (f *fn) body() string {
	var lines []string
	values, decls := f.returns()
	lines = append(lines, decls...)
	if f.ctx != "" {
		// A cancelled request must not be worked on: return at once,
		// with the context's error where the function can report one.
		early := append([]string(nil), values...)
		if last := lastError(f.results); last >= 0 {
			early[last] = "err"
			lines = append(lines, fmt.Sprintf("if err := %s.Err(); err != nil {", f.ctx))
		} else {
			lines = append(lines, fmt.Sprintf("if %s.Err() != nil {", f.ctx))
		}
		lines = append(lines, returnStmt(early), "}")
	}
	if f.example != "" {
		lines = append(lines, strings.TrimRight(f.example, "\n"))
		if endsInReturn(f.example) {
			return strings.Join(lines, "\n")
		}
	}
	if len(values) > 0 {
		lines = append(lines, returnStmt(values))
	}
	return strings.Join(lines, "\n")
}

// endsInReturn tells whether example statements end the function
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

// call is the expression that calls f with args, on its target for a
// method.
func (f *fn) call(args []string) string {
	c := f.name + "(" + strings.Join(args, ", ") + ")"
	if f.method {
		c = f.target + "." + c
	}
	return c
}
