package manifest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// An example is the Go code a contract gives to open the hello-world body
// of a method or function: the statements of one function body or, so
// that a host can supply what its functions return, a small Go file
// fragment: declarations (a type implementing an interface a function
// returns, with its methods; constants, variables, helper functions)
// followed by the body's statements. The declarations land at the top
// level of the plugin's file, the statements in the function.

// An Example is an example parsed.
type Example struct {
	// Decls holds the declarations, in a file of their own; nil when
	// there are none.
	Decls *ast.File
	// Body is the function body the statements make, in BodyFile.
	Body     *ast.BlockStmt
	BodyFile *ast.File
	// Fset holds the positions of both files.
	Fset *token.FileSet
}

// ParseExample parses an example: the statements of one function body,
// or declarations followed by statements. Declarations may not import
// (the examples use the packages the contract imports), and no comment
// may be a directive (//go:..., //line, //export, ...), which the Go
// tools would act on.
func ParseExample(src string) (*Example, error) {
	e := &Example{Fset: token.NewFileSet()}
	body, file, fset, err := ParseBody(src)
	if err != nil {
		decls, stmts, ok := splitDecls(src)
		if !ok {
			return nil, err // the error of the statements alone says most
		}
		if body, file, fset, err = ParseBody(stmts); err != nil {
			return nil, err
		}
		e.Fset = fset
		if e.Decls, err = parseDecls(fset, decls); err != nil {
			return nil, err
		}
	}
	e.Body, e.BodyFile, e.Fset = body, file, fset
	for _, f := range []*ast.File{e.Decls, e.BodyFile} {
		if f == nil {
			continue
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if isDirective(c.Text) {
					return nil, fmt.Errorf("holds the comment %s, a directive the Go tools act on: an example's comments are text", quote(c.Text))
				}
			}
		}
	}
	return e, nil
}

// parseDecls parses the declarations of an example as a file of their
// own.
func parseDecls(fset *token.FileSet, src string) (*ast.File, error) {
	f, err := parser.ParseFile(fset, "", "package p\n"+src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("does not parse as Go declarations followed by statements: %v", trimParseError(err))
	}
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			return nil, fmt.Errorf("imports a package: an example uses the packages contract.imports lists")
		}
	}
	return f, nil
}

// splitDecls splits src where its first statement begins after one or
// more declarations at its top level: a token at the start of a
// top-level line that is not type, const, var or import, nor func
// followed by a name (a function) or by a receiver and a name (a method);
// func followed by a parameter list is a function literal, which starts a
// statement. ok is false when src begins with no declaration.
func splitDecls(src string) (decls, stmts string, ok bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	type tok struct {
		pos token.Pos
		tok token.Token
	}
	var toks []tok
	for {
		pos, t, _ := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{pos, t})
	}
	depth, start, seen := 0, true, 0
	for i, t := range toks {
		if depth == 0 && start && t.tok != token.SEMICOLON {
			decl := false
			switch t.tok {
			case token.TYPE, token.CONST, token.VAR, token.IMPORT:
				decl = true
			case token.FUNC:
				decl = i+1 < len(toks) && toks[i+1].tok == token.IDENT
				if !decl && i+1 < len(toks) && toks[i+1].tok == token.LPAREN {
					// A receiver, then the method's name and parameters.
					j, d := i+1, 0
					for ; j < len(toks); j++ {
						if toks[j].tok == token.LPAREN {
							d++
						} else if toks[j].tok == token.RPAREN {
							if d--; d == 0 {
								break
							}
						}
					}
					decl = j+2 < len(toks) && toks[j+1].tok == token.IDENT && toks[j+2].tok == token.LPAREN
				}
			}
			if !decl {
				if seen == 0 {
					return "", "", false
				}
				off := file.Offset(t.pos)
				return src[:off], src[off:], true
			}
			seen++
		}
		start = false
		switch t.tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.SEMICOLON:
			start = depth == 0
		}
	}
	if seen == 0 {
		return "", "", false
	}
	return src, "", true
}

// directiveRE matches a comment the Go tools act on: go/ast's definition
// of a directive (//line, //extern, //export, //word:...), a /*line
// comment, and a build constraint of the old form.
var directiveRE = lazyre.New(`^(//(line |extern |export |[a-z0-9]+:[a-z0-9])|/\*line |// ?\+build)`)

// isDirective tells whether a comment is a directive, as go/ast or the go
// toolchain ([IsDirective]) reads one, or holds a line that would read as
// one where the comment's lines start a line of the file: the lines of a
// block comment are printed as they are.
func isDirective(c string) bool {
	if directiveRE.MatchString(c) || IsDirective(c) {
		return true
	}
	for _, line := range strings.Split(c, "\n")[1:] {
		if directiveRE.MatchString(strings.TrimLeft(line, " \t*")) {
			return true
		}
	}
	return false
}

// Node returns the example's syntax as one node: its declarations and
// the body, for what inspects every identifier.
func (e *Example) Node() ast.Node {
	var decls []ast.Decl
	if e.Decls != nil {
		decls = e.Decls.Decls
	}
	body := &ast.FuncDecl{Name: ast.NewIdent("_"), Type: &ast.FuncType{Params: &ast.FieldList{}}, Body: e.Body}
	return &ast.File{Name: ast.NewIdent("_"), Decls: append(decls[:len(decls):len(decls)], body)}
}

// DeclaredNames returns the names an example's declarations declare at
// the top level of the plugin's file, methods left out.
func (e *Example) DeclaredNames() []string {
	if e.Decls == nil {
		return nil
	}
	var names []string
	for _, d := range e.Decls.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}
