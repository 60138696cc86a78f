// SDK contract reads a plugin contract from the SDK's Go source, so that
// a manifest's method signatures are what the SDK really declares at the
// host's version, never typed by hand.
package loader

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A SDK is one parsed package of the SDK.
type SDK struct {
	Path  string // import path
	Name  string // package clause name
	files []*ast.File
	fset  *token.FileSet
	types map[string]*ast.TypeSpec
}

// Load parses the package with import path pkgPath from the module rooted at
// modDir, whose path is modPath. Only the files a build with tags would
// compile are read.
func LoadSDK(modDir, modPath, pkgPath string, tags []string) (*SDK, error) {
	rel, ok := strings.CutPrefix(pkgPath, modPath)
	if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
		return nil, fmt.Errorf("contract.package: package %s is not in module %s: name a package of the SDK module, the one whose types plugins use", pkgPath, modPath)
	}
	dir := filepath.Join(modDir, filepath.FromSlash(rel))
	ctx := build.Default
	ctx.BuildTags = tags
	bp, err := ctx.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("reading package %s: %w", pkgPath, err)
	}
	p := &SDK{Path: pkgPath, Name: bp.Name, fset: token.NewFileSet(), types: map[string]*ast.TypeSpec{}}
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(p.fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parsing package %s: %w", pkgPath, err)
		}
		p.files = append(p.files, f)
		for _, sdkDecl := range f.Decls {
			gd, ok := sdkDecl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				if ts.Doc == nil && !gd.Lparen.IsValid() {
					ts.Doc = gd.Doc // a lone declaration's doc sits on the declaration
				}
				p.types[ts.Name.Name] = ts
			}
		}
	}
	return p, nil
}

func (p *SDK) methods(name string, q *sdkQualifier, seen map[string]bool) ([]manifest.Method, error) {
	if seen[name] {
		return nil, fmt.Errorf("interface %s.%s embeds itself", p.Name, name)
	}
	seen[name] = true
	ts, ok := p.types[name]
	if !ok {
		return nil, fmt.Errorf("package %s declares no type %s", p.Path, name)
	}
	it, ok := ts.Type.(*ast.InterfaceType)
	if !ok {
		return nil, fmt.Errorf("%s.%s is not an interface type", p.Name, name)
	}
	if ts.TypeParams != nil {
		return nil, fmt.Errorf("%s.%s is generic: a plugin symbol cannot have a generic interface type", p.Name, name)
	}
	var out []manifest.Method
	for _, field := range it.Methods.List {
		switch t := field.Type.(type) {
		case *ast.FuncType:
			sig, err := q.print(t)
			if err != nil {
				return nil, fmt.Errorf("method %s.%s.%s: %w", p.Name, name, field.Names[0].Name, err)
			}
			out = append(out, manifest.Method{
				Name:      field.Names[0].Name,
				Signature: sig,
				Doc:       strings.TrimSpace(field.Doc.Text()),
			})
		case *ast.Ident:
			embedded, err := p.methods(t.Name, q, seen)
			if err != nil {
				return nil, err
			}
			out = append(out, embedded...)
		default:
			return nil, fmt.Errorf("interface %s.%s embeds %s, from another package or a type set; list only methods or interfaces of package %s", p.Name, name, q.source(field.Type), p.Name)
		}
	}
	return out, nil
}

// A sdkQualifier prints types as seen from outside the SDK package: the
// package's own types get its name as sdkQualifier, and every package a
// signature refers to is recorded as an import.
type sdkQualifier struct {
	pkg  *SDK
	used map[string]string // package name -> import path
}

func (q *sdkQualifier) source(n ast.Node) string {
	var b bytes.Buffer
	printer.Fprint(&b, q.pkg.fset, n)
	return b.String()
}

func (q *sdkQualifier) print(ft *ast.FuncType) (string, error) {
	file := q.fileOf(ft)
	var err error
	typ := rewrite(ft, func(n ast.Expr) ast.Expr {
		switch n := n.(type) {
		case *ast.Ident:
			if _, ok := q.pkg.types[n.Name]; ok {
				q.used[q.pkg.Name] = q.pkg.Path
				return &ast.SelectorExpr{X: ast.NewIdent(q.pkg.Name), Sel: ast.NewIdent(n.Name)}
			}
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				path, ok := importPath(file, id.Name)
				if !ok {
					err = fmt.Errorf("refers to %s.%s, but no import of the file is named %s", id.Name, n.Sel.Name, id.Name)
				} else if other, dup := q.used[id.Name]; dup && other != path {
					err = fmt.Errorf("package name %s stands for both %s and %s", id.Name, other, path)
				} else {
					q.used[id.Name] = path
				}
			}
		}
		return n
	})
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := printer.Fprint(&b, token.NewFileSet(), typ); err != nil {
		return "", err
	}
	if strings.Contains(b.String(), "\n") {
		// The source's positions, which the printer still sees, broke
		// an empty interface{} or struct{} over lines: a signature is
		// one line.
		return types.ExprString(typ), nil
	}
	return b.String(), nil
}

func (q *sdkQualifier) fileOf(n ast.Node) *ast.File {
	for _, f := range q.pkg.files {
		if f.Pos() <= n.Pos() && n.End() <= f.End() {
			return f
		}
	}
	return nil
}

// importPath finds the import a file refers to by name.
func importPath(f *ast.File, name string) (string, bool) {
	if f == nil {
		return "", false
	}
	for _, imp := range f.Imports {
		if n, path, ok := manifest.SpecName(imp); ok && n == name {
			return path, true
		}
	}
	return "", false
}

// sdkType names a type of the package from outside it, and records the
// import that takes.
func (q *sdkQualifier) sdkType(name string) string {
	q.used[q.pkg.Name] = q.pkg.Path
	return q.pkg.Name + "." + name
}

func (q *sdkQualifier) imports() []manifest.Import {
	return manifest.AppendImports(nil, q.used)
}
