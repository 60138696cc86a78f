package loader

import (
	"go/ast"
	"go/types"
	"maps"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// lookupImports lists the imports of a loader's package that its lookups
// can involve: those named in the declarations of its types, in every
// function's signature, and in the bodies of the functions that look a
// name up (a call of a method or function named Lookup), that call one of
// those, or that those call. A host's main package may import every
// package of the program for code that looks nothing up; reading only
// these keeps a loader's reading to what it needs.
func lookupImports(files []*ast.File) (needed map[string]bool, relevant map[*ast.FuncDecl]bool) {
	funcs := map[string][]*ast.FuncDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				funcs[fd.Name.Name] = append(funcs[fd.Name.Name], fd)
			}
		}
	}
	calls := map[*ast.FuncDecl][]string{}
	looks := map[*ast.FuncDecl]bool{} // the functions that call Lookup themselves
	for _, fds := range funcs {
		for _, fd := range fds {
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := calleeName(c.Fun)
				if name == "Lookup" {
					looks[fd] = true
				}
				if _, ok := funcs[name]; ok {
					calls[fd] = append(calls[fd], name)
				}
				return true
			})
		}
	}
	// The callers of a function that looks up give it its names; what it
	// and they call may assert what it returns.
	relevant = maps.Clone(looks)
	for fd, names := range calls {
		for _, name := range names {
			for _, callee := range funcs[name] {
				if looks[callee] {
					relevant[fd] = true
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for fd := range relevant {
			for _, name := range calls[fd] {
				for _, callee := range funcs[name] {
					if !relevant[callee] {
						relevant[callee], changed = true, true
					}
				}
			}
		}
	}
	needed = map[string]bool{}
	for _, f := range files {
		names := map[string]string{}
		for _, spec := range f.Imports {
			name, path, ok := manifest.SpecName(spec)
			if !ok {
				continue
			}
			if name == "_" || name == "." {
				// Blank imports declare nothing; a dot import may
				// declare anything.
				needed[path] = name == "."
				continue
			}
			names[name] = path
		}
		use := func(n ast.Node) {
			ast.Inspect(n, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok {
						if path, ok := names[id.Name]; ok {
							needed[path] = true
						}
					}
				}
				return true
			})
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					use(d.Recv)
				}
				use(d.Type)
				if relevant[d] {
					use(d.Body)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch spec := spec.(type) {
					case *ast.TypeSpec:
						use(spec)
					case *ast.ValueSpec:
						if spec.Type != nil {
							use(spec.Type)
						}
					}
				}
			}
		}
		// An import path's last element is not always its package's
		// name: one that does not look like it is read.
		for name, path := range names {
			if name != manifest.DefaultPackageName(path) || name != path[strings.LastIndex(path, "/")+1:] {
				needed[path] = true
			}
		}
	}
	needed["plugin"] = true
	return needed, relevant
}

// calleeName is the name a call calls by: a function's, a method's or a
// field's.
func calleeName(fun ast.Expr) string {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	case *ast.IndexExpr:
		return calleeName(f.X)
	case *ast.IndexListExpr:
		return calleeName(f.X)
	}
	return ""
}

// sliceHolds tells whether a package checked with only some of its
// imports checked cleanly where lookups are: in the functions that take
// part, every call named Lookup and every type assertion has a type.
func sliceHolds(info *types.Info, relevant map[*ast.FuncDecl]bool) bool {
	ok := true
	valid := func(e ast.Expr) bool {
		tv, found := info.Types[e]
		return found && tv.Type != nil && tv.Type != types.Typ[types.Invalid]
	}
	for fd := range relevant {
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if calleeName(n.Fun) == "Lookup" && len(n.Args) == 1 && !valid(n.Fun) {
					ok = false
				}
			case *ast.TypeAssertExpr:
				if n.Type != nil && !valid(n.Type) || !valid(n.X) {
					ok = false
				}
			}
			return ok
		})
	}
	return ok
}
