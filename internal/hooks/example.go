package hooks

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// An example's declarations land at the top level of the plugin's file,
// its statements in the function it opens (see [manifest.ParseExample]).
// Both reach the file as their syntax trees print them, with two changes
// that keep what the Go tools read out of the manifest's hands: a raw
// string literal spanning lines is printed as an interpreted one (a line
// of it could otherwise start with //go:generate, which go generate runs
// wherever it stands), and no comment is a directive, which parsing
// refuses.

// printExample parses an example and prints it back: its declarations,
// then its statements.
func printExample(s string) (string, error) {
	if err := manifest.CheckGoText(s); err != nil {
		return "", err
	}
	e, err := manifest.ParseExample(s)
	if err != nil {
		return "", err
	}
	if err := manifest.CheckGoSyntax(e.Node()); err != nil {
		return "", err
	}
	return formatExample(e)
}

// formatExample prints a parsed example back, declarations first.
func formatExample(e *manifest.Example) (string, error) {
	decls, body, err := printParts(e)
	if err != nil {
		return "", err
	}
	if decls == "" {
		return body, nil
	}
	return decls + "\n\n" + body, nil
}

// printParts prints an example's declarations and statements apart.
func printParts(e *manifest.Example) (decls, body string, err error) {
	oneLineStrings(e.Node())
	if body, err = printBody(e.Body, e.BodyFile, e.Fset); err != nil {
		return "", "", err
	}
	if e.Decls == nil {
		return "", body, nil
	}
	var b bytes.Buffer
	if err := printer.Fprint(&b, e.Fset, e.Decls); err != nil {
		return "", "", err
	}
	// The printer writes the package clause the parse needed, then the
	// declarations.
	decls = strings.TrimSpace(strings.TrimPrefix(b.String(), "package p\n"))
	return decls, body, nil
}

// oneLineStrings rewrites each raw string literal of n that spans lines
// as an interpreted string literal of the same value.
func oneLineStrings(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, "`") && strings.Contains(lit.Value, "\n") {
			if v, err := strconv.Unquote(lit.Value); err == nil {
				lit.Value = strconv.Quote(v)
			}
		}
		return true
	})
}

// splitExample returns the declarations and the statements of a
// canonical example, as [printExample] wrote it.
func splitExample(s string) (decls, stmts string, err error) {
	if s == "" {
		return "", "", nil
	}
	e, err := manifest.ParseExample(s)
	if err != nil {
		return "", "", err
	}
	return printParts(e)
}

// exampleBody returns the statements of an example, parsed; nil for none
// or for text that does not parse, which canonical has refused before.
func exampleBody(s string) []ast.Stmt {
	if s == "" {
		return nil
	}
	e, err := manifest.ParseExample(s)
	if err != nil {
		return nil
	}
	return e.Body.List
}

// A declaration is a name an example declares in the plugin's file, and
// the path of that example.
type declaration struct{ name, path string }

// checkDeclared returns the names examples declare in the plugin's file,
// in the contract's order, refusing one that a plugin's package may not
// declare, that two examples declare, or that the generated files always
// declare ([Reserved]).
func checkDeclared(k *manifest.Contract) ([]declaration, error) {
	var declared []declaration
	seen := map[string]bool{}
	for _, t := range k.GoTexts() {
		if t.Kind != manifest.TextStatements || *t.Text == "" {
			continue
		}
		e, err := manifest.ParseExample(*t.Text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Path, err)
		}
		for _, name := range e.DeclaredNames() {
			switch {
			case name == "_":
			case name == "init" || name == "main":
				return nil, fmt.Errorf("%s: declares %s, which a plugin's package may not declare for an example", t.Path, name)
			case seen[name]:
				return nil, fmt.Errorf("%s: declares %s, which another example declares too", t.Path, name)
			case Reserved(name):
				return nil, errTaken(t.Path, name)
			}
			seen[name] = true
			declared = append(declared, declaration{name, t.Path})
		}
	}
	return declared, nil
}

// checkTaken refuses a declaration of a name the generated files declare
// for this contract, taken.
func checkTaken(declared []declaration, taken map[string]bool) error {
	for _, d := range declared {
		if taken[d.name] {
			return errTaken(d.path, d.name)
		}
	}
	return nil
}

// errTaken is the error of an example at path declaring name, which the
// generated files declare.
func errTaken(path, name string) error {
	return fmt.Errorf("%s: declares %s, a name the generated files use: name it otherwise", path, name)
}
