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
	// testName names the function's tests, when not its name.
	testName string
	// notes are comments for the final return statement.
	notes []string
	// filledFields are the fields of a struct result the body fills, by
	// the result's index.
	filledFields map[int][]string
	g            *gen
}

func (g *gen) newFn(name, sig, doc, example string, method bool) (*fn, error) {
	ft, err := manifest.ParseSignature(sig)
	if err != nil {
		return nil, err
	}
	f := &fn{name: name, doc: doc, example: example, method: method, qualifiers: manifest.Qualifiers(ft), str: g.o.String, g: g}
	ctxType := g.stdName("context") + ".Context"
	names := newNamer(g.k)
	names.take(g.o.Type)
	for _, d := range g.declared {
		names.take(d.name)
	}
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
	decls, _, _ := splitExample(f.example)
	out := Func{Name: f.name, TestName: f.name, Doc: f.doc, Signature: f.signature(), Body: f.body(), Decls: decls}
	if f.testName != "" {
		out.TestName = f.testName
	}
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
// result's type pass through, errors are nil, an interface result is a new
// implementation (a constructor's, or one the contract describes), a
// struct the contract describes is filled, the rest is the zero value.
// Zero values of named types need a variable; their declarations are
// returned too. early are the values of a return before the work is done:
// the same, but for a struct, which is then zero.
func (f *fn) returns() (values, early, decls []string) {
	used := map[int]bool{}
	f.through = map[int]int{}
	f.filledFields = map[int][]string{}
	f.notes = nil
	for i, r := range f.results {
		v, e := "", ""
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
		if v == "" && f.g != nil {
			if im := f.g.implOf(r); im != nil {
				v = "&" + im.typ + "{}"
			} else if t, ptr := f.g.structOf(r); t != nil {
				// Filled only where a field names the plugin: a struct
				// the host reads otherwise keeps its zero value (a nil
				// pointer may mean "no answer").
				if lit, fields, note := f.g.filled(r); len(fields) > 0 {
					v, f.filledFields[i] = lit, fields
					f.notes = append(f.notes, note)
					if e = strings.TrimPrefix(r, "*") + "{}"; ptr {
						e = "nil"
					}
				}
			}
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
		if e == "" {
			e = v
		}
		values = append(values, v)
		early = append(early, e)
	}
	return values, early, decls
}

func (f *fn) body() string {
	var lines []string
	values, early, decls := f.returns()
	lines = append(lines, decls...)
	if f.ctx != "" {
		// A cancelled request must not be worked on: return at once,
		// with the context's error where the function can report one.
		if last := lastError(f.results); last >= 0 {
			early[last] = "err"
			lines = append(lines, fmt.Sprintf("if err := %s.Err(); err != nil {", f.ctx))
		} else {
			lines = append(lines, fmt.Sprintf("if %s.Err() != nil {", f.ctx))
		}
		lines = append(lines, returnStmt(early), "}")
	}
	if _, stmts, _ := splitExample(f.example); stmts != "" {
		lines = append(lines, strings.TrimRight(stmts, "\n"))
		if endsInReturn(f.example) {
			// The example decides what is returned.
			f.filledFields = map[int][]string{}
			return strings.Join(lines, "\n")
		}
	}
	if len(values) > 0 {
		lines = append(lines, f.notes...)
		lines = append(lines, returnStmt(values))
	}
	return strings.Join(lines, "\n")
}

// endsInReturn tells whether example statements end the function
// themselves, so that no return may follow them.
func endsInReturn(example string) bool {
	stmts := exampleBody(example)
	if len(stmts) == 0 {
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
