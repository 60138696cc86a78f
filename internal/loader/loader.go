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
	"go/token"
	"go/types"
	"strings"
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

// A Lookup is one name the host looks up, and the type it asserts the
// result to.
type Lookup struct {
	// Name is the name looked up, a constant of the host's code; empty
	// when Dynamic.
	Name string
	// Dynamic: the name comes from elsewhere (the host's configuration),
	// as for handlers.
	Dynamic bool
	Shape   Shape
	// Type is what the plugin's symbol must be: the function's type, the
	// variable's type, or the interface the variable's pointer implements.
	Type types.Type
	// Pos is where the host asserts it; At where it looks it up.
	Pos, At token.Position
	// Others are further types the host asserts the same symbol to, as in
	// a type switch with several cases; Type is the first.
	Others []types.Type
	// Need is whether the host needs the symbol, as its handling of the
	// lookup's error says, and NeedPos where it says so.
	Need    Need
	NeedPos token.Position
	// Func is the function of the host that looks it up.
	Func string
}

// An Unasserted is a name the host looks up whose result the reader
// does not see asserted (passed to code of another package, say).
type Unasserted struct {
	Name string
	Pos  token.Position
}

// A Loader is a package of the host that looks up plugin symbols.
type Loader struct {
	Path       string
	Lookups    []Lookup
	Unasserted []Unasserted

	pkg *Package
}

// Pkg is the package the loader was read from.
func (l *Loader) Pkg() *Package { return l.pkg }

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
	for _, f := range l.pkg.Files {
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
	for _, f := range l.pkg.Files {
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
	for _, f := range l.pkg.Files {
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
