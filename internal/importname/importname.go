// Package importname gives the packages a generated Go file imports for
// its own use names that no other import of the file takes.
//
// A generated file imports two kinds of package. The contract's packages
// are named as the host's signatures name them, and text from the
// manifest (types, examples) refers to them by those names, so they keep
// them. The generator's own imports (the standard fmt, os, plugin, log,
// testing, errors, reflect, net/http/httptest a plugin, its tests and its
// load harness need) have no fixed name: a host may well publish packages
// called log, errors or plugin. Generated code therefore refers to each of
// its own imports through a placeholder ([Placeholder]), imports it under
// that placeholder ([Spec]), and [Resolve], once the file's imports are
// known, gives each placeholder the package's own name or, where another
// import or identifier of the file takes it, a distinct one.
//
// A placeholder is the Greek letter π followed by the import path, each
// byte that is not an ASCII letter or digit written as ϰ and two hex
// digits: an identifier that mixes Greek and Latin letters, which no
// manifest text can hold ([manifest.CheckIdent] refuses it), so it never
// names anything but the import it stands for.
package importname

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

const (
	prefix = "π"
	escape = "ϰ"
)

// Placeholder is the identifier generated code refers to the package at
// path by, when the generator imports the package for its own use.
func Placeholder(path string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < len(path); i++ {
		c := path[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%s%02x", escape, c)
		}
	}
	return b.String()
}

// Spec is the import spec of the package at path under its placeholder.
func Spec(path string) string { return Placeholder(path) + " " + strconv.Quote(path) }

// pathOf decodes a placeholder; ok is false for any other identifier.
func pathOf(name string) (path string, ok bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return "", false
	}
	var b strings.Builder
	for rest != "" {
		if hex, ok := strings.CutPrefix(rest, escape); ok {
			if len(hex) < 2 {
				return "", false
			}
			c, err := strconv.ParseUint(hex[:2], 16, 8)
			if err != nil {
				return "", false
			}
			b.WriteByte(byte(c))
			rest = hex[2:]
			continue
		}
		c := rest[0]
		if !isAlnum(c) {
			return "", false
		}
		b.WriteByte(c)
		rest = rest[1:]
	}
	return b.String(), true
}

// an import is one import spec of the file.
type imp struct {
	spec *ast.ImportSpec
	path string
	// name is the name the file knows the package by; for the
	// generator's own imports, once resolved.
	name string
	own  bool
}

// Resolve names every placeholder import of f and rewrites the references
// to it. An own import of a package the file also imports by name takes
// that name; any other takes its package's name when no other import and
// no identifier of the file has it, or else the first free of an
// alternative: "go" and the name for a standard package (golog), the
// path's previous element and the name for another (routerplugin),
// followed by 2, 3, ... when needed. Own imports outside the standard
// library are named first, then the standard library's, each by path, so the
// same file always gets the same names, and a host's package keeps its
// name before a standard one.
//
// Resolve fails when two imports the generator cannot rename take one name,
// or when code refers to a placeholder the file does not import. fset is
// the file set f was parsed with: an import dropped gives its line back.
func Resolve(fset *token.FileSet, f *ast.File) error {
	var imps []*imp
	byName := map[string]*imp{}
	for _, spec := range f.Imports {
		name, path, ok := manifest.SpecName(spec)
		if !ok {
			return fmt.Errorf("import %s: malformed path", spec.Path.Value)
		}
		i := &imp{spec: spec, path: path, name: name}
		if spec.Name != nil && spec.Name.Name == Placeholder(path) {
			i.own = true
		} else if name != "_" && name != "." {
			if other, dup := byName[name]; dup && other.path != path {
				return fmt.Errorf("imports %s and %s both as %s", other.path, path, name)
			}
			byName[name] = i
		}
		imps = append(imps, i)
	}
	// Every identifier of the file but a selector's member and the
	// placeholders: a name one of them has would be shadowed, or shadow.
	idents := map[string]bool{}
	placeholders := map[string]bool{}
	members := map[*ast.Ident]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			members[n.Sel] = true
		case *ast.ImportSpec:
			return false
		case *ast.Ident:
			switch {
			case members[n]:
			case isPlaceholder(n.Name):
				placeholders[n.Name] = true
			default:
				idents[n.Name] = true
			}
		}
		return true
	})
	var own []*imp
	for _, i := range imps {
		if i.own {
			own = append(own, i)
		}
	}
	slices.SortStableFunc(own, func(a, b *imp) int {
		if sa, sb := isStd(a.path), isStd(b.path); sa != sb {
			if sb {
				return -1
			}
			return 1
		}
		return strings.Compare(a.path, b.path)
	})
	rename := map[string]string{}
	for _, i := range own {
		if _, done := rename[i.spec.Name.Name]; done {
			return fmt.Errorf("imports %s twice", i.path)
		}
		if other := pathImport(byName, i.path); other != nil {
			// Deleted through astutil, which closes the line.
			i.name = other.name
			astutil.DeleteNamedImport(fset, f, i.spec.Name.Name, i.path)
		} else {
			i.name = free(i.path, byName, idents)
			byName[i.name] = i
		}
		rename[i.spec.Name.Name] = i.name
	}
	for p := range placeholders {
		if _, ok := rename[p]; !ok {
			path, _ := pathOf(p)
			return fmt.Errorf("code refers to package %s, which the file does not import", path)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if name, ok := rename[id.Name]; ok {
				id.Name = name
			}
		}
		return true
	})
	for _, i := range own {
		if i.name == manifest.DefaultPackageName(i.path) {
			i.spec.Name = nil
		}
	}
	return nil
}

func isPlaceholder(name string) bool {
	_, ok := pathOf(name)
	return ok
}

// pathImport is the import of path under a name of its own, if any.
func pathImport(byName map[string]*imp, path string) *imp {
	var found *imp
	for _, i := range byName {
		if i.path == path && !i.own && (found == nil || i.name < found.name) {
			found = i
		}
	}
	return found
}

// free is the first name for the package at path that no import and no
// identifier takes.
func free(path string, byName map[string]*imp, idents map[string]bool) string {
	name := manifest.DefaultPackageName(path)
	taken := func(n string) bool { return byName[n] != nil || idents[n] || token.IsKeyword(n) }
	if !taken(name) {
		return name
	}
	return Alternative(path, taken)
}

// Alternative is the name an import of path takes when its own is taken:
// "go" and the name for a standard package (golog); for another, the
// path's previous element and the name (sdkversion for
// example.com/sdk/version), or "host" and the name for a path of one
// element; followed by 2, 3, ... while taken says that one is taken too.
func Alternative(path string, taken func(string) bool) string {
	name := manifest.DefaultPackageName(path)
	base := "go" + name
	if !isStd(path) {
		elems := strings.Split(path, "/")
		base = "host" + name
		if len(elems) > 1 {
			base = manifest.DefaultPackageName(strings.Join(elems[:len(elems)-1], "/")) + name
		}
	}
	alt := base
	for i := 2; taken(alt); i++ {
		alt = base + strconv.Itoa(i)
	}
	return alt
}

// isStd tells whether path is a standard library package's: its first
// element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// isAlnum tells an ASCII letter or digit.
func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
