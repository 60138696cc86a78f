package generator

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/scaffold-dev/scaffold/internal/importname"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// FormatGo formats generated Go source and drops the imports it does not
// use. Templates import every package a contract's signatures may need;
// which of them a given file ends up using depends on the signatures.
func FormatGo(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		// The source is not shown: it holds the manifest's text, and the
		// first error says where to look.
		return nil, fmt.Errorf("generated %s is not valid Go, which the manifest's validation should have prevented: %v", name, firstError(err))
	}
	if err := interpretStrings(f); err != nil {
		return nil, fmt.Errorf("generated %s: %w", name, err)
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
	// Deleted through astutil, which closes the line an import leaves:
	// the imports that stay keep their groups, with no blank line where
	// one went.
	for _, spec := range slices.Clone(f.Imports) {
		name, path, _ := manifest.SpecName(spec)
		if used[name] || name == "_" || name == "." {
			continue
		}
		given := ""
		if spec.Name != nil {
			given = spec.Name.Name
		}
		astutil.DeleteNamedImport(fset, f, given, path)
	}
	// What is left is the file's imports: the generator's own, under
	// placeholders, can now be given names no other import takes.
	if err := importname.Resolve(fset, f); err != nil {
		return nil, fmt.Errorf("naming the imports of generated %s: %w", name, err)
	}
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

// interpretStrings rewrites every raw string literal that spans lines as
// an interpreted one of the same value, and refuses a /*line*/ comment.
// The go command reads directives line by line, whatever the syntax: in
// a raw string, a line of manifest text starting with //go:generate would
// be one. Printed as an interpreted literal, a string's lines are escapes
// on the line the literal starts, which is indented.
func interpretStrings(f *ast.File) error {
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING || !strings.HasPrefix(lit.Value, "`") || !strings.ContainsAny(lit.Value, "\r\n") {
			return true
		}
		if v, err := strconv.Unquote(lit.Value); err == nil {
			lit.Value = strconv.Quote(v)
		}
		return true
	})
	for _, g := range f.Comments {
		for _, c := range g.List {
			// A /*line*/ comment is a directive wherever it stands.
			if strings.HasPrefix(c.Text, "/*line ") {
				return fmt.Errorf("a comment %q would be read as a line directive", c.Text)
			}
		}
	}
	return nil
}

// firstError is the first of a parser's errors.
func firstError(err error) error {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0]
	}
	return err
}
