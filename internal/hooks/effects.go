package hooks

import (
	"go/ast"
	"strings"
)

// A generated test holds a hook to what its example visibly does, so that
// it fails when the hook does nothing: the inputs the example changes
// (a header set on a request, a response written), the callbacks it calls,
// and the results it chooses (an instance, not nil; a string, not empty
// and not the input as it came). Inputs and results the example leaves
// alone are not held to anything but the absence of an error: a test
// that compared a pointer passed through with itself could never fail.

// effects are what an example does with its function's parameters.
type effects struct {
	// changed are parameters it acts on: a method called on one for its
	// effect (the result dropped), or an assignment to what it points to.
	changed map[string]bool
	// called are function parameters it calls.
	called map[string]bool
}

// effects reads the example's statements; code inside function literals,
// whose parameters may take the same names, is not the function's own.
func (f *fn) effects() effects {
	e := effects{changed: map[string]bool{}, called: map[string]bool{}}
	params := map[string]bool{}
	for _, p := range f.params {
		if p.name != f.ctx {
			params[p.name] = true
		}
	}
	// An assignment through a parameter (to a field, an element, what
	// it points to) changes it; to the parameter itself, it does not.
	assigned := func(x ast.Expr) {
		if _, plain := x.(*ast.Ident); !plain && params[rootName(x)] {
			e.changed[rootName(x)] = true
		}
	}
	for _, st := range exampleBody(f.example) {
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && params[id.Name] {
					e.called[id.Name] = true
				}
			case *ast.ExprStmt:
				if call, ok := n.X.(*ast.CallExpr); ok {
					if _, direct := call.Fun.(*ast.Ident); !direct {
						if root := rootName(call.Fun); params[root] {
							e.changed[root] = true
						}
					}
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					assigned(lhs)
				}
			case *ast.IncDecStmt:
				assigned(n.X)
			}
			return true
		})
	}
	return e
}

// rootName is the identifier an operand chain starts from: req for
// req.Header["X"], w for w.Header().Set.
func rootName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return ""
		}
	}
}

// finalReturn returns the values of the return statement that ends the
// example, one per result, or nil.
func (f *fn) finalReturn() []ast.Expr {
	stmts := exampleBody(f.example)
	if len(stmts) == 0 {
		return nil
	}
	ret, ok := stmts[len(stmts)-1].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != len(f.results) {
		return nil
	}
	return ret.Results
}

// keyedFields returns the field names of a composite literal e (or the
// address of one), or nil.
func keyedFields(e ast.Expr) []string {
	if u, ok := e.(*ast.UnaryExpr); ok {
		e = u.X
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	var names []string
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				names = append(names, id.Name)
			}
		}
	}
	return names
}

// isNil tells whether e is the identifier nil.
func isNil(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

// nilable tells whether a value of typ can be nil as far as its spelling
// tells: a pointer, func, map, slice, channel or interface.
func nilable(typ string) bool {
	return zero(typ) == "nil"
}

// byReference tells whether a value of typ shares what it refers to when
// copied, so that comparing a result passed through with its input
// compares the thing with itself.
func byReference(typ string) bool {
	return nilable(typ) || strings.HasSuffix(typ, ".ResponseWriter")
}
