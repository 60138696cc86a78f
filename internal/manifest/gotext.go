package manifest

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text of a manifest that lands in Go source (types, examples, docs,
// names) is held to what a reader can trust: it is valid UTF-8, holds no
// control character but tab and newline, no bidirectional formatting
// character that could make it read unlike it compiles, and its
// identifiers are each written in one script, so that "Rеquest" with a
// Cyrillic "е" cannot pass for "Request".

// MaxGoText bounds each piece of contract text (a doc, an example, a
// type): a generated repository holds some of them several times over.
const MaxGoText = 64 << 10

// bidi are the Unicode characters that reorder text when displayed.
const bidi = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

// CheckGoText checks text that lands in Go source, whether as code or in a
// comment.
func CheckGoText(s string) error {
	if len(s) > MaxGoText {
		return fmt.Errorf("%s is %d bytes, more than the %d KiB a contract's text may be", quote(s), len(s), MaxGoText>>10)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", quote(s))
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case strings.ContainsRune(bidi, r):
			return fmt.Errorf("%s holds the bidirectional control %U, which makes code read unlike it compiles", quote(s), r)
		case r == '\uFEFF':
			return fmt.Errorf("%s holds a byte order mark, which Go source allows only at its start", quote(s))
		case unicode.IsControl(r):
			return fmt.Errorf("%s holds the control character %U", quote(s), r)
		}
	}
	return nil
}

// CheckIdent checks a Go identifier taken from a manifest: valid, and its
// letters all of one script.
func CheckIdent(s string) error {
	if !token.IsIdentifier(s) {
		return fmt.Errorf("%s is not a Go identifier", quote(s))
	}
	if a, b, mixed := mixedScripts(s); mixed {
		// Written in ASCII, the letters that differ show.
		return fmt.Errorf("%s mixes the scripts %s and %s", strconv.QuoteToASCII(s), a, b)
	}
	return nil
}

// mixedScripts returns two scripts s uses letters of, if it uses more than
// one.
func mixedScripts(s string) (a, b string, mixed bool) {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		script := scriptOf(r)
		switch {
		case a == "":
			a = script
		case script != a:
			return a, script, true
		}
	}
	return "", "", false
}

func scriptOf(r rune) string {
	if r < utf8.RuneSelf {
		return "Latin"
	}
	for name, table := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
			return name
		}
	}
	return "Common"
}

// CheckGoSyntax checks every identifier of parsed manifest text.
func CheckGoSyntax(n ast.Node) error {
	var err error
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && err == nil && id.Name != "_" {
			err = CheckIdent(id.Name)
		}
		return err == nil
	})
	return err
}

// validateGoText checks the contract's text that lands in Go source for
// what [CheckGoText] and [CheckIdent] refuse. Whether the text parses as
// what it must be is checked with each field.
func (k *Contract) validateGoText(c *checker) {
	text := func(path, s string) {
		if s != "" {
			c.add(path, CheckGoText(s))
		}
	}
	ident := func(path, s string) {
		if s != "" && token.IsIdentifier(s) {
			c.add(path, CheckIdent(s))
		}
	}
	// syntax checks the identifiers of text that parses; whether it
	// parses is checked with each field.
	syntax := func(path, s string, parse func(string) (ast.Node, error)) {
		if s == "" || CheckGoText(s) != nil {
			text(path, s)
			return
		}
		if n, err := parse(s); err == nil {
			c.add(path, CheckGoSyntax(n))
		}
	}
	typ := func(path, s string) {
		syntax(path, s, func(s string) (ast.Node, error) { return ParseType(s) })
	}
	stmts := func(path, s string) {
		syntax(path, s, func(s string) (ast.Node, error) {
			list, err := ParseStatements(s)
			return &ast.BlockStmt{List: list}, err
		})
	}
	ident("contract.interface", k.Interface)
	ident("contract.symbol", k.Symbol)
	for i, imp := range k.Imports {
		ident(fmt.Sprintf("contract.imports[%d].name", i), imp.Name)
	}
	if f := k.Constructor; f != nil {
		ident("contract.constructor.name", f.Name)
		typ("contract.constructor.signature", f.Signature)
	}
	for i, m := range k.Methods {
		p := fmt.Sprintf("contract.methods[%d]", i)
		ident(p+".name", m.Name)
		typ(p+".signature", m.Signature)
		text(p+".doc", m.Doc)
		stmts(p+".example", m.Example)
	}
	for i, s := range k.Symbols {
		p := fmt.Sprintf("contract.symbols[%d]", i)
		ident(p+".name", s.Name)
		typ(p+".type", s.Type)
		typ(p+".sdkType", s.SDKType)
		text(p+".doc", s.Doc)
		stmts(p+".example", s.Example)
	}
	if h := k.Handler; h != nil {
		typ("contract.handler.type", h.Type)
		typ("contract.handler.sdkType", h.SDKType)
		text("contract.handler.doc", h.Doc)
		stmts("contract.handler.example", h.Example)
	}
}
