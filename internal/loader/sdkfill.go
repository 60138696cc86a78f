package loader

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// Directives in SDK source.
const (
	// symbolsDirective marks the type block whose types name the symbols
	// of a symbol-set contract.
	symbolsDirective = "//scaffold:symbols"
	// optionalDirective marks a symbol the host does not require.
	optionalDirective = "//scaffold:optional"
)

// Fill completes k from the package's source, for k's kind: the method set
// of the interface, the constructor's and the symbols' types, the handler
// type. What a base file gives beyond names (examples, which symbols are
// required) is kept; names the source does not declare are errors.
func (p *SDK) Fill(k *manifest.Contract) error {
	q := &sdkQualifier{pkg: p, used: map[string]string{}}
	switch k.Kind {
	case manifest.KindInterfaceVariable, manifest.KindConstructor:
		if k.Interface == "" {
			return fmt.Errorf("contract.interface: required in the base file: the SDK interface plugins implement")
		}
		if err := p.fillMethods(k, q); err != nil {
			return err
		}
		if k.Kind == manifest.KindConstructor {
			if k.Constructor == nil || k.Constructor.Name == "" {
				return fmt.Errorf("contract.constructor.name: required in the base file: the function the host calls")
			}
			d, err := p.funcDecl(k.Constructor.Name, q)
			switch {
			case err == nil:
				k.Constructor.Signature = d.sig
			case k.Constructor.Signature == "":
				return fmt.Errorf("contract.constructor: %w; or give contract.constructor.signature", err)
			}
			// A signature the base file gives and the SDK does not
			// declare is kept, to be type-checked by the caller.
		}
	case manifest.KindSymbols:
		if err := p.fillSymbols(k, q); err != nil {
			return err
		}
	case manifest.KindHandlers:
		if err := p.fillHandler(k, q); err != nil {
			return err
		}
	default:
		return fmt.Errorf("contract.kind: unknown contract kind %q (known kinds: %s)", k.Kind, strings.Join(manifest.Kinds, ", "))
	}
	k.Imports = q.imports()
	return nil
}

func (p *SDK) fillMethods(k *manifest.Contract, q *sdkQualifier) error {
	methods, err := p.methods(k.Interface, q, map[string]bool{})
	if err != nil {
		return err
	}
	slices.SortFunc(methods, func(a, b manifest.Method) int { return strings.Compare(a.Name, b.Name) })
	for i := 1; i < len(methods); i++ {
		if methods[i].Name == methods[i-1].Name {
			return fmt.Errorf("interface %s.%s has method %s twice", p.Name, k.Interface, methods[i].Name)
		}
	}
	examples := map[string]string{}
	for i, meth := range k.Methods {
		examples[meth.Name] = meth.Example
		if !slices.ContainsFunc(methods, func(m manifest.Method) bool { return m.Name == meth.Name }) {
			return fmt.Errorf("base file: contract.methods[%d]: %s.%s has no method %s", i, p.Name, k.Interface, meth.Name)
		}
	}
	for i := range methods {
		methods[i].Example = examples[methods[i].Name]
	}
	k.Methods = methods
	return nil
}

// fillSymbols reads a symbol set: the symbols the base file names, each
// from its declaration in the package, or, when it names none, the block
// the package marks with //scaffold:symbols.
func (p *SDK) fillSymbols(k *manifest.Contract, q *sdkQualifier) error {
	if len(k.Symbols) == 0 {
		marked, err := p.markedSymbols(q)
		if err != nil {
			return err
		}
		k.Symbols = marked
		return nil
	}
	marked, _ := p.markedSymbols(q)
	for i := range k.Symbols {
		s := &k.Symbols[i]
		if j := slices.IndexFunc(marked, func(m manifest.Symbol) bool { return m.Name == s.Name }); j >= 0 {
			// The marked block decides what is required; the base file
			// adds examples.
			example := s.Example
			*s = marked[j]
			s.Example = example
			continue
		}
		d, err := p.funcDecl(s.Name, q)
		if err != nil && s.Type != "" {
			continue // given in the base file; the caller type-checks it
		}
		if err != nil {
			return fmt.Errorf("base file: contract.symbols[%d]: %w; or give its type", i, err)
		}
		s.Type, s.Doc = d.sig, symbolDoc(d.doc, d.typeName, s.Name)
		if d.typeName != "" {
			s.SDKType = q.sdkType(d.typeName)
		}
	}
	if len(marked) > 0 {
		// Symbols the base file names only to give an example for keep
		// the rest of the marked set.
		for _, m := range marked {
			if !slices.ContainsFunc(k.Symbols, func(s manifest.Symbol) bool { return s.Name == m.Name }) {
				k.Symbols = append(k.Symbols, m)
			}
		}
		order := func(s manifest.Symbol) int {
			return slices.IndexFunc(marked, func(m manifest.Symbol) bool { return m.Name == s.Name })
		}
		slices.SortStableFunc(k.Symbols, func(a, b manifest.Symbol) int { return order(a) - order(b) })
	}
	return nil
}

// markedSymbols reads the //scaffold:symbols type block: each type names a
// symbol (its name without a "Func" suffix) and gives its type; a type
// whose doc holds //scaffold:optional is an optional symbol.
func (p *SDK) markedSymbols(q *sdkQualifier) ([]manifest.Symbol, error) {
	var out []manifest.Symbol
	for _, f := range p.files {
		for _, sdkDecl := range f.Decls {
			gd, ok := sdkDecl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE || !hasDirective(gd.Doc, symbolsDirective) {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				ft, ok := ts.Type.(*ast.FuncType)
				if !ok {
					return nil, fmt.Errorf("%s.%s in the %s block is not a func type", p.Name, ts.Name.Name, symbolsDirective)
				}
				sig, err := q.print(ft)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", p.Name, ts.Name.Name, err)
				}
				name := strings.TrimSuffix(ts.Name.Name, "Func")
				out = append(out, manifest.Symbol{
					Name:     name,
					Type:     sig,
					Required: !hasDirective(ts.Doc, optionalDirective),
					SDKType:  q.sdkType(ts.Name.Name),
					Doc:      symbolDoc(docText(ts.Doc), ts.Name.Name, name),
				})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("package %s has no %s type block: mark the symbol types there, or list the symbols in the base file", p.Path, symbolsDirective)
	}
	return out, nil
}

// hasMarkedSymbols tells whether the package has a //scaffold:symbols
// type block.
func (p *SDK) hasMarkedSymbols() bool {
	for _, f := range p.files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE && hasDirective(gd.Doc, symbolsDirective) {
				return true
			}
		}
	}
	return false
}

// A sdkDecl is a function type found by name.
type sdkDecl struct {
	sig, doc string
	// typeName is the declared type's name, when the signature came from
	// a type rather than a function.
	typeName string
}

// funcDecl finds the func type a symbol name stands for in the package:
// a type NameFunc or Name, or a function Name whose signature it takes.
func (p *SDK) funcDecl(name string, q *sdkQualifier) (*sdkDecl, error) {
	for _, tn := range []string{name + "Func", name} {
		if ts, ok := p.types[tn]; ok {
			ft, ok := ts.Type.(*ast.FuncType)
			if !ok {
				return nil, fmt.Errorf("%s.%s is not a func type", p.Name, tn)
			}
			sig, err := q.print(ft)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", p.Name, tn, err)
			}
			return &sdkDecl{sig: sig, doc: docText(ts.Doc), typeName: tn}, nil
		}
	}
	for _, f := range p.files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Name.Name != name {
				continue
			}
			sig, err := q.print(fd.Type)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", p.Name, name, err)
			}
			return &sdkDecl{sig: sig, doc: docText(fd.Doc)}, nil
		}
	}
	return nil, fmt.Errorf("package %s declares no type %sFunc or %s, nor a function %s", p.Path, name, name, name)
}

func hasDirective(cg *ast.CommentGroup, directive string) bool {
	if cg == nil {
		return false
	}
	for _, c := range cg.List {
		if strings.TrimSpace(c.Text) == directive {
			return true
		}
	}
	return false
}

// docText is a doc comment's text without directives.
func docText(cg *ast.CommentGroup) string {
	return strings.TrimSpace(cg.Text()) // Text drops //tool:directive lines
}

// symbolDoc turns the doc of the type a symbol is declared by into the
// symbol's: "InitFunc is called once" becomes "Init is called once".
func symbolDoc(doc, typeName, symbol string) string {
	if rest, ok := strings.CutPrefix(doc, typeName+" "); ok && typeName != "" {
		return symbol + " " + rest
	}
	return doc
}
