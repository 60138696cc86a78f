// Package loader reads a plugin contract from the host's own loader: the
// code of the host's build that calls plugin.Open and Lookup. What the
// host passes to Lookup, and what it asserts the result to, is the
// contract, whatever its SDK declares or marks; the code is read with
// go/types at the versions the host was built with, so an assertion
// written inline, through an alias, or to an interface of another package
// is seen as the compiler sees it.
//
// A host asserts a looked-up symbol in one of three ways, which decide what
// a plugin must export (Lookup returns a function's value, and a pointer to
// a variable):
//
//   - to a func type: a function of exactly that type ([Func]);
//   - to a pointer type *T: a variable of type T ([Variable]);
//   - to an interface with methods: a variable whose pointer has those
//     methods ([Implements]).
package loader

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A Shape is how the host asserts a looked-up symbol.
type Shape int

const (
	// Func: asserted to a func type; the plugin exports a function of
	// that type.
	Func Shape = iota
	// Variable: asserted to *T; the plugin exports a variable of type T.
	Variable
	// Implements: asserted to an interface with methods; the plugin
	// exports a variable whose pointer has the methods.
	Implements
)

func (s Shape) String() string {
	return [...]string{"function", "variable", "implementer"}[s]
}

// A Lookup is one name the host looks up with a constant string, and the
// type it asserts the result to.
type Lookup struct {
	Name  string
	Shape Shape
	// Type is what the plugin's symbol must be: the function's type, the
	// variable's type, or the interface the variable's pointer implements.
	Type types.Type
	// Pos is where the host asserts it.
	Pos token.Position
	// Others are further types the host asserts the same symbol to, as in
	// a type switch with several cases; Type is the first.
	Others []types.Type
}

// A Loader is a package of the host that looks up plugin symbols.
type Loader struct {
	Path    string
	Lookups []Lookup
	// Dynamic are the places the host looks up a name that is not a
	// constant, such as one from its configuration.
	Dynamic []token.Position

	pkg *packages.Package
}

// Config says where the loader's source is and how the host was built.
type Config struct {
	// Dir is a module whose build list is the host's.
	Dir  string
	Env  []string
	Tags []string
}

func (c Config) packages(mode packages.LoadMode) *packages.Config {
	cfg := &packages.Config{Mode: mode, Dir: c.Dir, Env: c.Env}
	if len(c.Tags) > 0 {
		cfg.BuildFlags = []string{"-tags=" + strings.Join(c.Tags, ",")}
	}
	return cfg
}

// Find returns those of the candidate packages that import package plugin,
// sorted, and the first problem of a candidate that could not be listed
// (a module that cannot be fetched, say), which may hide a loader.
func Find(c Config, candidates []string) (found []string, problem error, err error) {
	if len(candidates) == 0 {
		return nil, nil, nil
	}
	pkgs, err := packages.Load(c.packages(packages.NeedName|packages.NeedImports), candidates...)
	if err != nil {
		return nil, nil, fmt.Errorf("listing the host's packages: %w", err)
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			if problem == nil {
				problem = fmt.Errorf("%s: %v", p.PkgPath, p.Errors[0].Msg)
			}
			continue
		}
		if _, ok := p.Imports["plugin"]; ok {
			found = append(found, p.PkgPath)
		}
	}
	slices.Sort(found)
	return slices.Compact(found), problem, nil
}

// Read type-checks the package at path and finds its lookups.
func Read(c Config, path string) (*Loader, error) {
	mode := packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
		packages.NeedTypesInfo | packages.NeedImports
	pkgs, err := packages.Load(c.packages(mode), path)
	if err != nil {
		return nil, fmt.Errorf("reading the host's loader %s: %w", path, err)
	}
	if len(pkgs) != 1 {
		return nil, fmt.Errorf("reading the host's loader %s: found %d packages", path, len(pkgs))
	}
	p := pkgs[0]
	if len(p.Errors) > 0 {
		return nil, fmt.Errorf("reading the host's loader %s: %v", path, p.Errors[0])
	}
	l := &Loader{Path: p.PkgPath, pkg: p}
	for _, f := range p.Syntax {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if err := l.function(fd.Body); err != nil {
					return nil, err
				}
			}
		}
	}
	return l, nil
}

// event is a lookup result assigned to a variable, or an assertion of a
// variable, in source order.
type event struct {
	pos    token.Pos
	obj    types.Object
	name   string // the looked-up name, for an assignment
	lookup bool
	dyn    bool
	types  []types.Type // asserted, for an assertion
}

// function finds the lookups of one function body: each Lookup result is
// followed to the assertions of the variable it is assigned to, up to the
// variable's next assignment from Lookup.
func (l *Loader) function(body *ast.BlockStmt) error {
	info := l.pkg.TypesInfo
	var events []event
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) >= 1 {
				if name, dyn, ok := l.lookupCall(n.Rhs[0]); ok {
					if obj := l.object(n.Lhs[0]); obj != nil {
						events = append(events, event{pos: n.Pos(), obj: obj, name: name, lookup: true, dyn: dyn})
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Values) == 1 && len(n.Names) >= 1 {
				if name, dyn, ok := l.lookupCall(n.Values[0]); ok {
					if obj := info.Defs[n.Names[0]]; obj != nil {
						events = append(events, event{pos: n.Pos(), obj: obj, name: name, lookup: true, dyn: dyn})
					}
				}
			}
		case *ast.TypeAssertExpr:
			if n.Type == nil {
				return true // the guard of a type switch, read there
			}
			if obj := l.object(n.X); obj != nil {
				events = append(events, event{pos: n.Pos(), obj: obj, types: []types.Type{info.TypeOf(n.Type)}})
			}
		case *ast.TypeSwitchStmt:
			var x ast.Expr
			switch a := n.Assign.(type) {
			case *ast.AssignStmt:
				x = a.Rhs[0]
			case *ast.ExprStmt:
				x = a.X
			}
			ta, ok := ast.Unparen(x).(*ast.TypeAssertExpr)
			if !ok {
				return true
			}
			obj := l.object(ta.X)
			if obj == nil {
				return true
			}
			e := event{pos: n.Pos(), obj: obj}
			for _, cc := range n.Body.List {
				for _, t := range cc.(*ast.CaseClause).List {
					if tv := info.Types[t]; !tv.IsNil() {
						e.types = append(e.types, tv.Type)
					}
				}
			}
			events = append(events, e)
		}
		return true
	})
	slices.SortStableFunc(events, func(a, b event) int { return int(a.pos - b.pos) })
	last := map[types.Object]*event{}
	found := map[*event]*Lookup{}
	for i := range events {
		e := &events[i]
		if e.lookup {
			last[e.obj] = e
			if e.dyn {
				l.Dynamic = append(l.Dynamic, l.pkg.Fset.Position(e.pos))
			}
			continue
		}
		from := last[e.obj]
		if from == nil || from.dyn || len(e.types) == 0 {
			continue
		}
		lk := found[from]
		if lk == nil {
			shape, typ, err := shapeOf(e.types[0])
			if err != nil {
				return fmt.Errorf("%s: %s: %w", l.pkg.Fset.Position(e.pos), from.name, err)
			}
			l.Lookups = append(l.Lookups, Lookup{Name: from.name, Shape: shape, Type: typ, Pos: l.pkg.Fset.Position(e.pos)})
			lk = &l.Lookups[len(l.Lookups)-1]
			found[from] = lk
			e.types = e.types[1:]
		}
		lk.Others = append(lk.Others, e.types...)
	}
	return nil
}

// lookupCall tells whether e calls Lookup on a *plugin.Plugin, and with
// what name.
func (l *Loader) lookupCall(e ast.Expr) (name string, dynamic, ok bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", false, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Lookup" {
		return "", false, false
	}
	fn, ok := l.pkg.TypesInfo.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "plugin" {
		return "", false, false
	}
	tv := l.pkg.TypesInfo.Types[call.Args[0]]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", true, true
	}
	return constant.StringVal(tv.Value), false, true
}

// object is the variable an expression names, if it names one.
func (l *Loader) object(e ast.Expr) types.Object {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	if obj := l.pkg.TypesInfo.Defs[id]; obj != nil {
		return obj
	}
	return l.pkg.TypesInfo.Uses[id]
}

// shapeOf says what a plugin must export for the host's assertion to t to
// succeed.
func shapeOf(t types.Type) (Shape, types.Type, error) {
	switch u := t.Underlying().(type) {
	case *types.Signature:
		if named, ok := types.Unalias(t).(*types.Named); ok {
			return 0, nil, fmt.Errorf("asserted to the defined type %s, which a looked-up function never has (its type is an unnamed func type): the assertion always fails", named)
		}
		return Func, t, nil
	case *types.Pointer:
		return Variable, u.Elem(), nil
	case *types.Interface:
		if u.NumMethods() == 0 {
			return 0, nil, fmt.Errorf("asserted to %s, which has no methods: it tells nothing of the symbol's type", t)
		}
		return Implements, t, nil
	}
	return 0, nil, fmt.Errorf("asserted to %s, which a looked-up symbol never is (Lookup returns a function or a pointer to a variable)", t)
}

// Package returns the type-checked package of the given path, the
// loader's own or one it imports, directly or not.
func (l *Loader) Package(path string) *types.Package {
	seen := map[*types.Package]bool{}
	var find func(p *types.Package) *types.Package
	find = func(p *types.Package) *types.Package {
		if p.Path() == path {
			return p
		}
		if seen[p] {
			return nil
		}
		seen[p] = true
		for _, imp := range p.Imports() {
			if t := find(imp); t != nil {
				return t
			}
		}
		return nil
	}
	return find(l.pkg.Types)
}

// ImportName returns the name the loader's files import path by, or the
// package's own name when they do not name it.
func (l *Loader) ImportName(path string) string {
	for _, f := range l.pkg.Syntax {
		for _, spec := range f.Imports {
			if spec.Name != nil && strings.Trim(spec.Path.Value, `"`) == path && spec.Name.Name != "_" && spec.Name.Name != "." {
				return spec.Name.Name
			}
		}
	}
	if p := l.Package(path); p != nil {
		return p.Name()
	}
	return path[strings.LastIndex(path, "/")+1:]
}

// PathOf returns the import path of the package the loader's files call
// name, or "".
func (l *Loader) PathOf(name string) string {
	for _, f := range l.pkg.Syntax {
		for _, spec := range f.Imports {
			path := strings.Trim(spec.Path.Value, `"`)
			if (spec.Name != nil && spec.Name.Name == name) || (spec.Name == nil && l.ImportName(path) == name) {
				return path
			}
		}
	}
	return ""
}

// Position returns where pos is, for an object of the loader's package or
// of one it imports.
func (l *Loader) Position(pos token.Pos) token.Position { return l.pkg.Fset.Position(pos) }

// Qualifier names packages as the loader's files do.
func (l *Loader) Qualifier() types.Qualifier {
	return func(p *types.Package) string { return l.ImportName(p.Path()) }
}

// Eval type-checks a type expression in the scope of the loader's file
// that holds pos: its identifiers resolve through that file's imports, as
// the host's own code would.
func (l *Loader) Eval(pos token.Position, expr string) (types.Type, error) {
	scopePos := token.NoPos
	for _, f := range l.pkg.Syntax {
		if l.pkg.Fset.Position(f.Pos()).Filename == pos.Filename {
			scopePos = f.Name.Pos()
		}
	}
	if !scopePos.IsValid() {
		return nil, fmt.Errorf("no file %s in the loader %s", pos.Filename, l.Path)
	}
	tv, err := types.Eval(l.pkg.Fset, l.pkg.Types, scopePos, expr)
	if err != nil {
		return nil, trimPos(err)
	}
	if !tv.IsType() {
		return nil, fmt.Errorf("%s is not a type", expr)
	}
	return tv.Type, nil
}

// trimPos drops the position types.Eval puts before its message, which
// counts from the expression, not from any file the user has.
func trimPos(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.Count(msg[:i], ":") <= 2 {
		msg = msg[i+2:]
	}
	return fmt.Errorf("%s", msg)
}
