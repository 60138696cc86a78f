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

// directivePrefixes start the lines the go toolchain reads as directives
// wherever they stand, in code, comments and raw strings alike: go
// generate runs a //go:generate line, the compiler obeys //go: and //line
// pragmas, cgo reads #cgo and //export lines, and go build reads
// // +build constraints.
var directivePrefixes = []string{"//go:", "//line", "#cgo", "//export", "// +build"}

// IsDirective tells whether a line of a generated file starts with what
// the go toolchain reads as a directive.
func IsDirective(line string) bool {
	for _, p := range directivePrefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
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

// A TextKind is what a contract's text must be in Go source.
type TextKind int

// The kinds of contract text.
const (
	// TextIdent is an identifier.
	TextIdent TextKind = iota + 1
	// TextType is a type expression.
	TextType
	// TextStatements are an example: the statements of one function
	// body, after declarations or not (see [ParseExample]).
	TextStatements
	// TextDoc is the text of a comment.
	TextDoc
)

// A GoText is a field of a contract whose text lands in Go source.
type GoText struct {
	// Path names the field as a [Problem] does:
	// "contract.methods[0].example".
	Path string
	Kind TextKind
	// Text is the field itself, so that a caller can rewrite it.
	Text *string
}

// GoTexts lists the fields of k whose text lands in Go source, empty ones
// too. It is the one list of them: validation checks each field, and the
// generator prints each back from its syntax tree, so a field added here
// is held to both, and a field left out would reach generated code
// unchecked.
func (k *Contract) GoTexts() []GoText {
	var ts []GoText
	add := func(kind TextKind, path string, s *string) {
		ts = append(ts, GoText{Path: path, Kind: kind, Text: s})
	}
	add(TextIdent, "contract.interface", &k.Interface)
	add(TextIdent, "contract.symbol", &k.Symbol)
	for i := range k.Imports {
		add(TextIdent, fmt.Sprintf("contract.imports[%d].name", i), &k.Imports[i].Name)
	}
	if f := k.Constructor; f != nil {
		add(TextIdent, "contract.constructor.name", &f.Name)
		add(TextType, "contract.constructor.signature", &f.Signature)
	}
	for i := range k.Methods {
		m, p := &k.Methods[i], fmt.Sprintf("contract.methods[%d]", i)
		add(TextIdent, p+".name", &m.Name)
		add(TextType, p+".signature", &m.Signature)
		add(TextDoc, p+".doc", &m.Doc)
		add(TextStatements, p+".example", &m.Example)
	}
	for i := range k.Symbols {
		s, p := &k.Symbols[i], fmt.Sprintf("contract.symbols[%d]", i)
		add(TextIdent, p+".name", &s.Name)
		add(TextType, p+".type", &s.Type)
		add(TextType, p+".sdkType", &s.SDKType)
		add(TextDoc, p+".doc", &s.Doc)
		add(TextStatements, p+".example", &s.Example)
	}
	if h := k.Handler; h != nil {
		add(TextType, "contract.handler.type", &h.Type)
		add(TextType, "contract.handler.sdkType", &h.SDKType)
		add(TextDoc, "contract.handler.doc", &h.Doc)
		add(TextStatements, "contract.handler.example", &h.Example)
	}
	for i := range k.Types {
		t, p := &k.Types[i], fmt.Sprintf("contract.types[%d]", i)
		add(TextType, p+".name", &t.Name)
		for j := range t.Methods {
			m, mp := &t.Methods[j], fmt.Sprintf("%s.methods[%d]", p, j)
			add(TextIdent, mp+".name", &m.Name)
			add(TextType, mp+".signature", &m.Signature)
			add(TextDoc, mp+".doc", &m.Doc)
			add(TextStatements, mp+".example", &m.Example)
		}
		for j := range t.StringFields {
			f, fp := &t.StringFields[j], fmt.Sprintf("%s.stringFields[%d]", p, j)
			add(TextIdent, fp+".name", &f.Name)
			add(TextDoc, fp+".doc", &f.Doc)
		}
	}
	return ts
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
	for _, t := range k.GoTexts() {
		switch t.Kind {
		case TextIdent:
			ident(t.Path, *t.Text)
		case TextType:
			syntax(t.Path, *t.Text, func(s string) (ast.Node, error) { return ParseType(s) })
		case TextStatements:
			syntax(t.Path, *t.Text, func(s string) (ast.Node, error) {
				e, err := ParseExample(s)
				if err != nil {
					return nil, err
				}
				return e.Node(), nil
			})
		case TextDoc:
			text(t.Path, *t.Text)
		default:
			c.add(t.Path, fmt.Errorf("text of unknown kind %d", t.Kind))
		}
	}
}
