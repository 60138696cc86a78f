package loader

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// Read finds the lookups of a package checked whole: each call that looks
// a name up in a plugin, however the host wraps it, followed to the type
// the host asserts the result to.
//
// A lookup is a call of *plugin.Plugin's Lookup, of a method of an
// interface *plugin.Plugin implements (the host's own Plugin interface,
// filled from plugin.Open), or of a function value of Lookup's type. Its
// result is followed through variables and through calls of the
// package's own functions, generic ones included, with the function's
// type arguments for its type parameters: a helper such as
//
//	func as[T any](sym plugin.Symbol) (T, error) { v, ok := sym.(T); ... }
//
// asserts its caller's symbol to the caller's type argument. How the code
// handles the lookup's error tells whether the host needs the symbol: an
// error returned (or a panic) makes it required, one skipped makes it
// optional.
func Read(p *Package) (*Loader, error) {
	l := &Loader{Path: p.Path, pkg: p}
	r := &reader{l: l, pkg: p, funcs: map[*types.Func]*ast.FuncDecl{}, inlined: map[*ast.FuncDecl]bool{}}
	r.pluginPkg = findPlugin(p.Types)
	if r.pluginPkg == nil {
		return l, nil
	}
	if obj := r.pluginPkg.Scope().Lookup("Plugin"); obj != nil {
		r.pluginPtr = types.NewPointer(obj.Type())
	}
	if obj := r.pluginPkg.Scope().Lookup("Symbol"); obj != nil {
		r.symbol = obj.Type()
	}
	for _, f := range p.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := p.Info.Defs[fd.Name].(*types.Func); ok {
					r.funcs[fn] = fd
				}
			}
		}
	}
	for _, f := range p.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fr := r.frame(fd, nil, nil)
			fr.params(fd)
			fr.block(fd.Body.List)
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	for _, s := range r.sites {
		if s.byParam && r.inlined[s.decl] {
			// Read again where the package calls the function, with the
			// name its caller gives.
			continue
		}
		if err := l.add(s); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// findPlugin returns package plugin as the package p imports it, directly
// or not.
func findPlugin(p *types.Package) *types.Package {
	seen := map[*types.Package]bool{}
	var find func(p *types.Package) *types.Package
	find = func(p *types.Package) *types.Package {
		if p.Path() == "plugin" {
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
	return find(p)
}

// A Need says whether the host needs a symbol.
type Need int

const (
	// NeedUnknown: the code does not tell.
	NeedUnknown Need = iota
	// Required: the host fails without the symbol.
	Required
	// Optional: the host goes on without it.
	Optional
)

func (n Need) String() string {
	return [...]string{"unknown", "required", "optional"}[n]
}

// A site is one lookup in the code: where, of what name, and what the
// host does with the result.
type site struct {
	pos token.Pos
	// byParam: the name is a parameter of decl, read on its own, whose
	// callers give it.
	byParam  bool
	decl     *ast.FuncDecl
	name     string
	dynamic  bool
	asserted []assertion
	need     Need
	needPos  token.Pos
	fn       string
}

type assertion struct {
	pos token.Pos
	typ types.Type
}

// A value is what the reader knows of a Go value: a looked-up symbol, the
// error of a lookup, or a name that is a constant where a helper is
// inlined.
type value struct {
	sym  *site
	err  *site
	name *constName
	// param: a parameter of this function, read on its own: its
	// callers give it.
	param *ast.FuncDecl
}

type constName struct{ s string }

type reader struct {
	l         *Loader
	pkg       *Package
	funcs     map[*types.Func]*ast.FuncDecl
	pluginPkg *types.Package
	pluginPtr types.Type
	symbol    types.Type
	sites     []*site
	inlined   map[*ast.FuncDecl]bool
	err       error
}

// A frame is one function body being read: the values its variables
// hold, and, for an inlined helper, its type arguments and what it
// returns.
type frame struct {
	r       *reader
	vars    map[types.Object]value
	targs   map[*types.TypeParam]types.Type
	fn      string
	depth   int
	results [][]value
	sig     *types.Signature
	// failing is the lookup whose failure the statements being read
	// handle, in a helper that passes it on.
	failing *site
}

func (r *reader) frame(fd *ast.FuncDecl, args []value, targs map[*types.TypeParam]types.Type) *frame {
	fr := &frame{r: r, vars: map[types.Object]value{}, targs: targs, fn: fd.Name.Name}
	if fn, ok := r.pkg.Info.Defs[fd.Name].(*types.Func); ok {
		fr.sig, _ = fn.Type().(*types.Signature)
	}
	i := 0
	bind := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, field := range fl.List {
			names := field.Names
			if len(names) == 0 {
				i++
				continue
			}
			for _, n := range names {
				if i < len(args) {
					if obj := r.pkg.Info.Defs[n]; obj != nil {
						fr.vars[obj] = args[i]
					}
				}
				i++
			}
		}
	}
	if fd.Recv != nil && len(args) > 0 {
		// args[0] is the receiver of an inlined method.
		for _, field := range fd.Recv.List {
			for _, n := range field.Names {
				if obj := r.pkg.Info.Defs[n]; obj != nil {
					fr.vars[obj] = args[0]
				}
			}
		}
		args = args[1:]
	}
	bind(fd.Type.Params)
	return fr
}

const maxDepth = 4

// params marks the parameters of a function read on its own as given by
// its callers.
func (fr *frame) params(fd *ast.FuncDecl) {
	for _, fl := range []*ast.FieldList{fd.Recv, fd.Type.Params} {
		if fl == nil {
			continue
		}
		for _, field := range fl.List {
			for _, n := range field.Names {
				if obj := fr.r.pkg.Info.Defs[n]; obj != nil {
					fr.vars[obj] = value{param: fd}
				}
			}
		}
	}
}

func (fr *frame) block(stmts []ast.Stmt) {
	for _, s := range stmts {
		fr.stmt(s)
	}
}

// stmt reads one statement.
func (fr *frame) stmt(s ast.Stmt) {
	info := fr.r.pkg.Info
	switch s := s.(type) {
	case *ast.AssignStmt:
		vals := fr.rhs(s.Rhs, len(s.Lhs))
		for i, lhs := range s.Lhs {
			var v value
			if i < len(vals) {
				v = vals[i]
			}
			if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && id.Name == "_" && v.err != nil {
				// The error of a lookup thrown away: the host goes on
				// without the symbol.
				fr.decide(v.err, Optional, lhs.Pos())
				continue
			}
			fr.assign(lhs, v)
		}
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok {
			return
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok || len(vs.Values) == 0 {
				continue
			}
			vals := fr.rhs(vs.Values, len(vs.Names))
			for i, n := range vs.Names {
				if i < len(vals) {
					if obj := info.Defs[n]; obj != nil {
						fr.vars[obj] = vals[i]
					}
				}
			}
		}
	case *ast.ExprStmt:
		fr.expr(s.X)
	case *ast.GoStmt:
		fr.expr(s.Call)
	case *ast.DeferStmt:
		fr.expr(s.Call)
	case *ast.ReturnStmt:
		var vals []value
		if len(s.Results) == 1 {
			vals = fr.multi(s.Results[0])
		} else {
			for _, e := range s.Results {
				vals = append(vals, fr.expr(e))
			}
		}
		if fr.failing != nil && fr.sig != nil && len(vals) == fr.sig.Results().Len() {
			for i := range vals {
				if isError(fr.sig.Results().At(i).Type()) && !isNil(ast.Unparen(s.Results[min(i, len(s.Results)-1)])) {
					vals[i] = value{err: fr.failing}
				}
			}
		}
		fr.results = append(fr.results, vals)
	case *ast.IfStmt:
		if s.Init != nil {
			fr.stmt(s.Init)
		}
		fr.expr(s.Cond)
		failing := fr.failing
		if st, neq, ok := fr.errTest(s.Cond); ok {
			switch need := fr.classify(s.Body); {
			case !neq:
				fr.decide(st, Optional, s.Pos())
			case need == Required && fr.depth > 0 && fr.returnsErr(s.Body):
				// A helper read in place passes the failure on: its
				// caller decides, from the error the helper returns.
				fr.failing = st
			default:
				fr.decide(st, need, s.Pos())
			}
		}
		fr.block(s.Body.List)
		fr.failing = failing
		if s.Else != nil {
			fr.stmt(s.Else)
		}
	case *ast.BlockStmt:
		fr.block(s.List)
	case *ast.ForStmt:
		if s.Init != nil {
			fr.stmt(s.Init)
		}
		if s.Cond != nil {
			fr.expr(s.Cond)
		}
		fr.block(s.Body.List)
	case *ast.RangeStmt:
		fr.expr(s.X)
		fr.block(s.Body.List)
	case *ast.SwitchStmt:
		if s.Init != nil {
			fr.stmt(s.Init)
		}
		if s.Tag != nil {
			fr.expr(s.Tag)
		}
		for _, c := range s.Body.List {
			cc := c.(*ast.CaseClause)
			for _, e := range cc.List {
				fr.expr(e)
			}
			fr.block(cc.Body)
		}
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			fr.stmt(s.Init)
		}
		var x ast.Expr
		switch a := s.Assign.(type) {
		case *ast.AssignStmt:
			x = a.Rhs[0]
		case *ast.ExprStmt:
			x = a.X
		}
		if ta, ok := ast.Unparen(x).(*ast.TypeAssertExpr); ok {
			if v := fr.expr(ta.X); v.sym != nil {
				for _, c := range s.Body.List {
					for _, t := range c.(*ast.CaseClause).List {
						if tv := info.Types[t]; !tv.IsNil() && tv.IsType() {
							fr.asserted(v.sym, t.Pos(), tv.Type)
						}
					}
				}
			}
		}
		for _, c := range s.Body.List {
			fr.block(c.(*ast.CaseClause).Body)
		}
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			if cc.Comm != nil {
				fr.stmt(cc.Comm)
			}
			fr.block(cc.Body)
		}
	case *ast.LabeledStmt:
		fr.stmt(s.Stmt)
	case *ast.SendStmt:
		fr.expr(s.Value)
	}
}

// rhs evaluates the right-hand side of an assignment of n variables.
func (fr *frame) rhs(exprs []ast.Expr, n int) []value {
	if len(exprs) == 1 && n > 1 {
		return fr.multi(exprs[0])
	}
	var out []value
	for _, e := range exprs {
		out = append(out, fr.expr(e))
	}
	return out
}

func (fr *frame) assign(lhs ast.Expr, v value) {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		fr.expr(lhs)
		return
	}
	info := fr.r.pkg.Info
	obj := info.Defs[id]
	if obj == nil {
		obj = info.Uses[id]
	}
	if obj == nil {
		return
	}
	if v == (value{}) {
		delete(fr.vars, obj)
		return
	}
	fr.vars[obj] = v
}

// multi evaluates an expression of several values: a call.
func (fr *frame) multi(e ast.Expr) []value {
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		return fr.call(e)
	case *ast.TypeAssertExpr:
		return []value{fr.expr(e)}
	case *ast.IndexExpr, *ast.UnaryExpr:
		return []value{fr.expr(e)}
	}
	return []value{fr.expr(e)}
}

// expr evaluates an expression for the one value it has, reading the
// lookups and assertions inside it.
func (fr *frame) expr(e ast.Expr) value {
	if e == nil {
		return value{}
	}
	info := fr.r.pkg.Info
	switch e := e.(type) {
	case *ast.ParenExpr:
		return fr.expr(e.X)
	case *ast.Ident:
		obj := info.Uses[e]
		if obj == nil {
			obj = info.Defs[e]
		}
		if obj != nil {
			if v, ok := fr.vars[obj]; ok {
				return v
			}
		}
		if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return value{name: &constName{constant.StringVal(tv.Value)}}
		}
		return value{}
	case *ast.BasicLit:
		if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return value{name: &constName{constant.StringVal(tv.Value)}}
		}
		return value{}
	case *ast.CallExpr:
		vals := fr.call(e)
		if len(vals) > 0 {
			return vals[0]
		}
		return value{}
	case *ast.TypeAssertExpr:
		v := fr.expr(e.X)
		if v.sym != nil && e.Type != nil {
			if tv, ok := info.Types[e.Type]; ok && tv.IsType() {
				fr.asserted(v.sym, e.Pos(), tv.Type)
			}
		}
		return value{}
	case *ast.FuncLit:
		// A closure reads the variables around it.
		sub := &frame{r: fr.r, vars: fr.vars, targs: fr.targs, fn: fr.fn, depth: fr.depth}
		sub.block(e.Body.List)
		return value{}
	case *ast.BinaryExpr:
		if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return value{name: &constName{constant.StringVal(tv.Value)}}
		}
		fr.expr(e.X)
		fr.expr(e.Y)
		return value{}
	case *ast.UnaryExpr:
		fr.expr(e.X)
		return value{}
	case *ast.StarExpr:
		fr.expr(e.X)
		return value{}
	case *ast.SelectorExpr:
		fr.expr(e.X)
		return value{}
	case *ast.IndexExpr:
		fr.expr(e.X)
		fr.expr(e.Index)
		return value{}
	case *ast.SliceExpr:
		fr.expr(e.X)
		return value{}
	case *ast.CompositeLit:
		for _, el := range e.Elts {
			fr.expr(el)
		}
		return value{}
	case *ast.KeyValueExpr:
		fr.expr(e.Value)
		return value{}
	}
	return value{}
}

// call evaluates a call: a lookup, a call of one of the package's own
// functions (read in place, with the values of its arguments), or any
// other, whose arguments are read.
func (fr *frame) call(c *ast.CallExpr) []value {
	info := fr.r.pkg.Info
	if tv, ok := info.Types[c.Fun]; ok && tv.IsType() {
		// A conversion.
		return []value{fr.expr(c.Args[0])}
	}
	if fr.isLookup(c) {
		nv := fr.expr(c.Args[0])
		s := &site{pos: c.Pos(), fn: fr.fn}
		switch {
		case nv.name != nil:
			s.name = nv.name.s
		case nv.param != nil:
			s.byParam, s.dynamic, s.decl = true, true, nv.param
		default:
			s.dynamic = true
		}
		fr.r.sites = append(fr.r.sites, s)
		return []value{{sym: s}, {err: s}}
	}
	var args []value
	fun := ast.Unparen(c.Fun)
	var recv value
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if selection := info.Selections[sel]; selection != nil && selection.Kind() == types.MethodVal {
			recv = fr.expr(sel.X)
		}
	}
	for _, a := range c.Args {
		args = append(args, fr.expr(a))
	}
	fd, fn := fr.local(fun)
	if fd == nil || fr.depth >= maxDepth {
		return nil
	}
	if fd.Recv != nil {
		args = append([]value{recv}, args...)
	}
	fr.r.inlined[fd] = true
	sub := fr.r.frame(fd, args, fr.instance(fun, fn))
	sub.depth = fr.depth + 1
	sub.block(fd.Body.List)
	if len(sub.results) == 0 {
		return nil
	}
	// What every return agrees on: a helper returns its lookup's symbol
	// and error on one path and zero values on others.
	out := make([]value, len(sub.results[0]))
	for _, res := range sub.results {
		for i := range min(len(res), len(out)) {
			if res[i] != (value{}) {
				out[i] = res[i]
			}
		}
	}
	return out
}

// local returns the declaration of the package's own function (or
// method) a call calls.
func (fr *frame) local(fun ast.Expr) (*ast.FuncDecl, *types.Func) {
	info := fr.r.pkg.Info
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.IndexExpr:
		return fr.local(ast.Unparen(f.X))
	case *ast.IndexListExpr:
		return fr.local(ast.Unparen(f.X))
	}
	if id == nil {
		return nil, nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil, nil
	}
	fn = fn.Origin()
	fd := fr.r.funcs[fn]
	return fd, fn
}

// instance maps the type parameters of a generic function called at fun
// to the type arguments of the call, in terms of the caller's own.
func (fr *frame) instance(fun ast.Expr, fn *types.Func) map[*types.TypeParam]types.Type {
	info := fr.r.pkg.Info
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.IndexExpr:
		return fr.instance(ast.Unparen(f.X), fn)
	case *ast.IndexListExpr:
		return fr.instance(ast.Unparen(f.X), fn)
	}
	inst, ok := info.Instances[id]
	if !ok {
		return nil
	}
	sig := fn.Type().(*types.Signature)
	tparams := sig.TypeParams()
	if tparams == nil {
		tparams = sig.RecvTypeParams()
	}
	if tparams == nil {
		return nil
	}
	m := map[*types.TypeParam]types.Type{}
	for i := range min(tparams.Len(), inst.TypeArgs.Len()) {
		m[tparams.At(i)] = fr.subst(inst.TypeArgs.At(i))
	}
	return m
}

// subst replaces the type parameters of the frame's function in t by its
// type arguments.
func (fr *frame) subst(t types.Type) types.Type {
	if len(fr.targs) == 0 {
		return t
	}
	switch t := t.(type) {
	case *types.TypeParam:
		if a, ok := fr.targs[t]; ok {
			return a
		}
	case *types.Pointer:
		return types.NewPointer(fr.subst(t.Elem()))
	case *types.Slice:
		return types.NewSlice(fr.subst(t.Elem()))
	}
	return t
}

// isLookup tells whether c looks a name up in a plugin.
func (fr *frame) isLookup(c *ast.CallExpr) bool {
	if len(c.Args) != 1 || fr.r.symbol == nil {
		return false
	}
	info := fr.r.pkg.Info
	tv, ok := info.Types[c.Fun]
	if !ok {
		return false
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok || !fr.r.lookupSig(sig) {
		return false
	}
	sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		// A function value of Lookup's type.
		return true
	}
	selection := info.Selections[sel]
	if selection == nil || selection.Kind() != types.MethodVal {
		// A field of Lookup's type, or a package's function.
		return true
	}
	recv := selection.Recv()
	if types.Identical(recv, fr.r.pluginPtr) {
		return true
	}
	if iface, ok := recv.Underlying().(*types.Interface); ok && fr.r.pluginPtr != nil {
		// The host's own interface, which *plugin.Plugin fills.
		return types.Implements(fr.r.pluginPtr, iface)
	}
	return false
}

// lookupSig tells whether sig is Lookup's: func(string) (plugin.Symbol,
// error).
func (r *reader) lookupSig(sig *types.Signature) bool {
	if sig.Params().Len() != 1 || sig.Results().Len() != 2 {
		return false
	}
	if b, ok := sig.Params().At(0).Type().Underlying().(*types.Basic); !ok || b.Kind() != types.String {
		return false
	}
	if !types.Identical(sig.Results().At(0).Type(), r.symbol) {
		return false
	}
	return isError(sig.Results().At(1).Type())
}

// asserted records that the host asserts the symbol of s to t.
func (fr *frame) asserted(s *site, pos token.Pos, t types.Type) {
	s.asserted = append(s.asserted, assertion{pos: pos, typ: fr.subst(t)})
}

// errTest tells whether cond tests a lookup's error against nil, and
// whether for err != nil.
func (fr *frame) errTest(cond ast.Expr) (*site, bool, bool) {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
		return nil, false, false
	}
	x, y := ast.Unparen(b.X), ast.Unparen(b.Y)
	if isNil(x) {
		x, y = y, x
	}
	if !isNil(y) {
		return nil, false, false
	}
	v := fr.expr(x)
	if v.err == nil {
		return nil, false, false
	}
	return v.err, b.Op == token.NEQ, true
}

func isNil(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

// classify says what a block run when a lookup failed makes of the
// symbol: required when it returns an error or stops the program,
// optional when it goes on.
func (fr *frame) classify(body *ast.BlockStmt) Need {
	if len(body.List) == 0 {
		return NeedUnknown
	}
	last := body.List[len(body.List)-1]
	switch s := last.(type) {
	case *ast.ReturnStmt:
		return fr.classifyReturn(s)
	case *ast.BranchStmt:
		if s.Tok == token.CONTINUE || s.Tok == token.BREAK {
			return Optional
		}
	case *ast.ExprStmt:
		if fr.stops(s.X) {
			return Required
		}
	}
	for _, s := range body.List {
		if _, ok := s.(*ast.IfStmt); ok {
			// A decision of its own, per symbol (as a table's required
			// field): the code does not tell alone.
			return NeedUnknown
		}
	}
	return NeedUnknown
}

// classifyReturn reads a return on a failed lookup: an error result that
// is not nil makes the symbol required.
func (fr *frame) classifyReturn(s *ast.ReturnStmt) Need {
	if fr.sig == nil || fr.sig.Results().Len() == 0 || len(s.Results) == 0 {
		return NeedUnknown
	}
	res := fr.sig.Results()
	if len(s.Results) != res.Len() {
		return NeedUnknown
	}
	sawErr := false
	for i := range res.Len() {
		if !isError(res.At(i).Type()) {
			continue
		}
		sawErr = true
		if !isNil(ast.Unparen(s.Results[i])) {
			return Required
		}
	}
	if sawErr {
		return Optional
	}
	return NeedUnknown
}

// returnsErr tells whether a block ends returning an error that is not
// nil.
func (fr *frame) returnsErr(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	ret, ok := body.List[len(body.List)-1].(*ast.ReturnStmt)
	return ok && fr.classifyReturn(ret) == Required
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// stops tells whether a call ends the program or the goroutine: panic,
// log.Fatal and the like, os.Exit.
func (fr *frame) stops(e ast.Expr) bool {
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		return f.Name == "panic" && fr.r.pkg.Info.Uses[f] == types.Universe.Lookup("panic")
	case *ast.SelectorExpr:
		if fn, ok := fr.r.pkg.Info.Uses[f.Sel].(*types.Func); ok && fn.Pkg() != nil {
			switch fn.Pkg().Path() + "." + fn.Name() {
			case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln":
				return true
			}
			return strings.HasPrefix(fn.Name(), "Fatal")
		}
	}
	return false
}

// decide records what the code makes of a failed lookup, the first time
// it says.
func (fr *frame) decide(s *site, n Need, pos token.Pos) {
	if s.need != NeedUnknown || n == NeedUnknown {
		return
	}
	s.need, s.needPos = n, pos
}

// add turns a site into a lookup of the loader.
func (l *Loader) add(s *site) error {
	fset := l.pkg.Fset
	if len(s.asserted) == 0 {
		if s.dynamic {
			return nil
		}
		// Looked up and passed on, or asserted where the reader does
		// not follow: the name is known, its type is not.
		l.Unasserted = append(l.Unasserted, Unasserted{Name: s.name, Pos: fset.Position(s.pos)})
		return nil
	}
	slices.SortStableFunc(s.asserted, func(a, b assertion) int { return int(a.pos - b.pos) })
	first := s.asserted[0]
	if _, isParam := first.typ.(*types.TypeParam); isParam {
		return nil // asserted inside a generic helper read on its own
	}
	shape, typ, err := shapeOf(first.typ)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", fset.Position(first.pos), describeName(s), err)
	}
	lk := Lookup{
		Name:    s.name,
		Dynamic: s.dynamic,
		Shape:   shape,
		Type:    typ,
		Pos:     fset.Position(first.pos),
		At:      fset.Position(s.pos),
		Need:    s.need,
		Func:    s.fn,
	}
	if s.needPos.IsValid() {
		lk.NeedPos = fset.Position(s.needPos)
	}
	for _, a := range s.asserted[1:] {
		if !types.Identical(a.typ, first.typ) {
			lk.Others = append(lk.Others, a.typ)
		}
	}
	// The same name looked up twice (a helper read in place for each of
	// its callers, say): one lookup, required if either needs it.
	for i := range l.Lookups {
		o := &l.Lookups[i]
		if o.Dynamic == lk.Dynamic && o.Name == lk.Name && !lk.Dynamic && types.Identical(o.Type, lk.Type) {
			if o.Need == NeedUnknown || lk.Need == Required {
				o.Need, o.NeedPos = lk.Need, lk.NeedPos
			}
			return nil
		}
	}
	l.Lookups = append(l.Lookups, lk)
	return nil
}

func describeName(s *site) string {
	if s.dynamic {
		return "a name from the host's configuration"
	}
	return s.name
}
