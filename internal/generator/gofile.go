package generator

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// FormatGo formats generated Go source and drops the imports it does not
// use. Templates import every package a contract's signatures may need;
// which of them a given file ends up using depends on the signatures.
func FormatGo(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("generated %s is not valid Go: %w%s", name, err, numbered(src))
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		specs := gd.Specs[:0]
		for _, spec := range gd.Specs {
			name, _, _ := manifest.SpecName(spec.(*ast.ImportSpec))
			if used[name] || name == "_" || name == "." {
				specs = append(specs, spec)
			}
		}
		gd.Specs = specs
	}
	f.Decls = slices.DeleteFunc(f.Decls, func(d ast.Decl) bool {
		gd, ok := d.(*ast.GenDecl)
		return ok && gd.Tok == token.IMPORT && len(gd.Specs) == 0
	})
	f.Imports = nil // rebuilt from the declarations by the printer's users
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, fmt.Errorf("formatting generated %s: %w", name, err)
	}
	// A second pass tidies the blank lines removed imports leave behind.
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting generated %s: %w", name, err)
	}
	return out, nil
}
