package hooks

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// Manifest text reaches generated Go source only through its syntax tree:
// each type is parsed as a type expression, each example as the statements
// of one function body, and printed back; each doc is checked to be text a
// line comment can hold, and each name to be an identifier. Whatever the
// text held, what lands in a file is then exactly one type, one statement
// list or one comment. Text that lands inside a string literal is quoted
// where it is placed (see [goString]).

// canonical returns a copy of k whose Go text is printed from its syntax
// tree, or an error naming the field whose text is not what it must be.
// The fields are those [manifest.Contract.GoTexts] lists, the ones the
// manifest's validation checks.
func canonical(k *manifest.Contract) (*manifest.Contract, error) {
	c := *k
	c.Imports = slices.Clone(k.Imports)
	c.Methods = slices.Clone(k.Methods)
	c.Symbols = slices.Clone(k.Symbols)
	c.Types = slices.Clone(k.Types)
	for i := range c.Types {
		c.Types[i].Methods = slices.Clone(k.Types[i].Methods)
		c.Types[i].StringFields = slices.Clone(k.Types[i].StringFields)
	}
	if k.Constructor != nil {
		f := *k.Constructor
		c.Constructor = &f
	}
	if k.Handler != nil {
		h := *k.Handler
		c.Handler = &h
	}
	for _, t := range c.GoTexts() {
		if *t.Text == "" {
			continue
		}
		var err error
		switch t.Kind {
		case manifest.TextIdent:
			err = manifest.CheckIdent(*t.Text)
		case manifest.TextType:
			*t.Text, err = printType(*t.Text)
		case manifest.TextStatements:
			*t.Text, err = printExample(*t.Text)
		case manifest.TextDoc:
			err = manifest.CheckGoText(*t.Text)
		default:
			err = fmt.Errorf("text of unknown kind %d", t.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Path, err)
		}
	}
	return &c, nil
}

// printType parses a type expression and prints it back.
func printType(s string) (string, error) {
	if err := manifest.CheckGoText(s); err != nil {
		return "", err
	}
	expr, err := manifest.ParseType(s)
	if err != nil {
		return "", err
	}
	if err := manifest.CheckGoSyntax(expr); err != nil {
		return "", err
	}
	return typeString(expr), nil
}

// printBody prints the statements of a parsed function body, comments
// included, without the braces.
func printBody(body *ast.BlockStmt, file *ast.File, fset *token.FileSet) (string, error) {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, &printer.CommentedNode{Node: body, Comments: file.Comments}); err != nil {
		return "", err
	}
	// The printer writes "{\n", the indented statements, and "}"; the
	// statements' own lines keep their indentation so that a raw string's
	// lines stay as they were.
	out := strings.TrimSuffix(strings.TrimPrefix(b.String(), "{\n"), "}")
	return strings.TrimRight(out, "\n"), nil
}

// typeString prints a type expression on its own, without positions.
func typeString(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}

// goString is a Go string literal of s, for text placed in generated code
// as a string: whatever s holds, it stays inside the literal.
func goString(s string) string { return fmt.Sprintf("%q", s) }

// format is a Go string literal of a format string that prints text as it
// is, its % signs escaped, followed by verbs, the format's own.
func format(text, verbs string) string { return goString(literal(text) + verbs) }

// literal escapes the % signs of text for a format string.
func literal(text string) string { return strings.ReplaceAll(text, "%", "%%") }
