package hooks

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"

	"github.com/scaffold-dev/scaffold/internal/importname"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// requalify gives each of c's imports whose name the generated files
// declare themselves (an SDK package called version, beside the plugin's
// version variable the Makefile stamps) another name, and rewrites the
// contract's types and examples to call the package by it. The
// generator's own imports give way to the host's (see [importname]), but
// its declarations cannot: the Makefile and the harness refer to them. c
// is a copy [canonical] made, which requalify changes in place; it returns
// the names it changed, old to new.
func requalify(c *manifest.Contract) (map[string]string, error) {
	renames := map[string]string{}
	taken := map[string]bool{}
	for _, imp := range c.Imports {
		taken[imp.PackageName()] = true
	}
	for i, imp := range c.Imports {
		name := imp.PackageName()
		if !slices.Contains(declaredNames, name) {
			continue
		}
		alt := importname.Alternative(imp.Path, func(n string) bool {
			return taken[n] || Reserved(n) || token.IsKeyword(n)
		})
		taken[alt] = true
		c.Imports[i].Name = alt
		renames[name] = alt
	}
	if len(renames) == 0 {
		return renames, nil
	}
	for _, t := range c.GoTexts() {
		if *t.Text == "" {
			continue
		}
		var err error
		switch t.Kind {
		case manifest.TextType:
			*t.Text, err = renameInType(*t.Text, renames)
		case manifest.TextStatements:
			*t.Text, err = renameInStatements(*t.Text, renames)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Path, err)
		}
	}
	return renames, nil
}

// renameInType rewrites the package qualifiers of a type expression.
func renameInType(s string, renames map[string]string) (string, error) {
	expr, err := manifest.ParseType(s)
	if err != nil {
		return "", err
	}
	renameQualifiers(expr, renames)
	return typeString(expr), nil
}

// renameInStatements rewrites the package qualifiers of an example: the
// operands of selectors only, so that a bare identifier (the plugin's own
// version variable) keeps meaning what it did.
func renameInStatements(s string, renames map[string]string) (string, error) {
	e, err := manifest.ParseExample(s)
	if err != nil {
		return "", err
	}
	renameQualifiers(e.Node(), renames)
	return formatExample(e)
}

func renameQualifiers(n ast.Node, renames map[string]string) {
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if to, ok := renames[id.Name]; ok {
					id.Name = to
				}
			}
		}
		return true
	})
}
