package hooks

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
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
func canonical(k *manifest.Contract) (*manifest.Contract, error) {
	c := *k
	var err error
	field := func(what string, f func() error) {
		if err == nil {
			if e := f(); e != nil {
				err = fmt.Errorf("%s: %w", what, e)
			}
		}
	}
	typ := func(s *string) func() error {
		return func() error {
			if *s == "" {
				return nil
			}
			out, err := printType(*s)
			*s = out
			return err
		}
	}
	body := func(s *string) func() error {
		return func() error {
			if *s == "" {
				return nil
			}
			out, err := printStatements(*s)
			*s = out
			return err
		}
	}
	doc := func(s string) func() error { return func() error { return manifest.CheckGoText(s) } }
	ident := func(s string) func() error {
		return func() error {
			if s == "" {
				return nil
			}
			return manifest.CheckIdent(s)
		}
	}
	field("interface", ident(c.Interface))
	field("symbol", ident(c.Symbol))
	c.Imports = append([]manifest.Import(nil), k.Imports...)
	for _, imp := range c.Imports {
		field("import "+imp.Path, ident(imp.Name))
	}
	if k.Constructor != nil {
		f := *k.Constructor
		field("constructor", ident(f.Name))
		field("constructor "+f.Name, typ(&f.Signature))
		c.Constructor = &f
	}
	c.Methods = append([]manifest.Method(nil), k.Methods...)
	for i := range c.Methods {
		m := &c.Methods[i]
		field("method", ident(m.Name))
		field("method "+m.Name, typ(&m.Signature))
		field("method "+m.Name+" doc", doc(m.Doc))
		field("method "+m.Name+" example", body(&m.Example))
	}
	c.Symbols = append([]manifest.Symbol(nil), k.Symbols...)
	for i := range c.Symbols {
		s := &c.Symbols[i]
		field("symbol", ident(s.Name))
		field("symbol "+s.Name, typ(&s.Type))
		field("symbol "+s.Name+" sdkType", typ(&s.SDKType))
		field("symbol "+s.Name+" doc", doc(s.Doc))
		field("symbol "+s.Name+" example", body(&s.Example))
	}
	if k.Handler != nil {
		h := *k.Handler
		field("handler", typ(&h.Type))
		field("handler sdkType", typ(&h.SDKType))
		field("handler doc", doc(h.Doc))
		field("handler example", body(&h.Example))
		c.Handler = &h
	}
	if err != nil {
		return nil, err
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

// printStatements parses statements as one function body and prints them
// back, comments included, without the braces: what is returned is a
// statement list, whatever the text held.
func printStatements(s string) (string, error) {
	if err := manifest.CheckGoText(s); err != nil {
		return "", err
	}
	body, file, fset, err := manifest.ParseBody(s)
	if err != nil {
		return "", err
	}
	for _, st := range body.List {
		if err := manifest.CheckGoSyntax(st); err != nil {
			return "", err
		}
	}
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
