package manifest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"

	"golang.org/x/mod/module"
)

// Kinds lists the contract kinds this build knows.
var Kinds = []string{KindInterfaceVariable}

// ImportName is the name signatures use for the package at path.
func (k *Contract) ImportName(path string) string {
	for _, imp := range k.Imports {
		if imp.Path == path {
			return imp.PackageName()
		}
	}
	return DefaultPackageName(path)
}

// PackageName is the name signatures use for imp: its Name, or the name Go
// tools guess from the path.
func (imp Import) PackageName() string {
	if imp.Name != "" {
		return imp.Name
	}
	return DefaultPackageName(imp.Path)
}

var majorRE = regexp.MustCompile(`^v[0-9]+$`)

// DefaultPackageName guesses a package's name from its import path the way
// goimports does: the last element, skipping a major version suffix and
// dropping a "go-" prefix or ".vN" suffix.
func DefaultPackageName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if majorRE.MatchString(name) && len(elems) > 1 {
		name = elems[len(elems)-2]
	}
	name = strings.TrimPrefix(name, "go-")
	if i := strings.Index(name, ".v"); i > 0 {
		name = name[:i]
	}
	return strings.NewReplacer("-", "_", ".", "_").Replace(name)
}

// ParseSignature parses a method signature written as a Go func type.
func ParseSignature(sig string) (*ast.FuncType, error) {
	expr, err := parser.ParseExpr(sig)
	if err != nil {
		return nil, fmt.Errorf("%s does not parse as a Go func type: %v", quote(sig), trimParseError(err))
	}
	ft, ok := expr.(*ast.FuncType)
	if !ok {
		return nil, fmt.Errorf("%s is not a func type: write it as func(...) ...", quote(sig))
	}
	return ft, nil
}

// ParseStatements parses Go statements, as a method's example body.
func ParseStatements(src string) ([]ast.Stmt, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc _() {\n"+src+"\n}\n", 0)
	if err != nil {
		return nil, fmt.Errorf("does not parse as Go statements: %v", trimParseError(err))
	}
	return f.Decls[0].(*ast.FuncDecl).Body.List, nil
}

// trimParseError drops go/parser's position prefix, which counts from an
// invented file.
func trimParseError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.Count(msg[:i], ":") <= 2 {
		msg = msg[i+2:]
	}
	return strings.Split(msg, "\n")[0]
}

// Qualifiers returns the package names a type expression refers to.
func Qualifiers(n ast.Node) []string {
	var names []string
	seen := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && !seen[id.Name] {
				seen[id.Name] = true
				names = append(names, id.Name)
			}
			return false
		}
		return true
	})
	return names
}

func checkExported(s string) error {
	if !token.IsIdentifier(s) || !token.IsExported(s) {
		return fmt.Errorf("%s is not an exported Go identifier", quote(s))
	}
	return nil
}

func (k *Contract) validate(c *checker, sdkModule string) {
	switch k.Kind {
	case "":
		c.add("contract.kind", fmt.Errorf("missing (known kinds: %s)", strings.Join(Kinds, ", ")))
		return
	case KindInterfaceVariable:
	default:
		c.add("contract.kind", fmt.Errorf("unknown contract kind %s (known kinds: %s)", quote(k.Kind), strings.Join(Kinds, ", ")))
		return
	}
	c.required("contract.package", k.Package, func(p string) error {
		if err := module.CheckImportPath(p); err != nil {
			return err
		}
		if sdkModule != "" && p != sdkModule && !strings.HasPrefix(p, sdkModule+"/") {
			return fmt.Errorf("%s is not a package of the SDK module %s", p, sdkModule)
		}
		return nil
	})
	c.required("contract.interface", k.Interface, checkExported)
	c.required("contract.symbol", k.Symbol, checkExported)

	names := map[string]string{} // package name -> import path
	for i, imp := range k.Imports {
		p := fmt.Sprintf("contract.imports[%d]", i)
		if imp.Path == "" {
			c.add(p+".path", fmt.Errorf("missing"))
			continue
		}
		if err := module.CheckImportPath(imp.Path); err != nil {
			c.add(p+".path", err)
			continue
		}
		name := imp.PackageName()
		if !token.IsIdentifier(name) || name == "_" {
			c.add(p+".name", fmt.Errorf("%s is not a package name: give one", quote(name)))
			continue
		}
		if other, dup := names[name]; dup {
			c.add(p, fmt.Errorf("package name %s is used by both %s and %s: give one of them a name", name, other, imp.Path))
			continue
		}
		names[name] = imp.Path
	}
	if k.Package != "" {
		found := false
		for _, path := range names {
			found = found || path == k.Package
		}
		if !found {
			c.add("contract.imports", fmt.Errorf("must list the contract package %s", k.Package))
		}
	}

	if len(k.Methods) == 0 {
		c.add("contract.methods", fmt.Errorf("missing: list the interface's methods"))
	}
	seen := map[string]bool{}
	for i, meth := range k.Methods {
		p := fmt.Sprintf("contract.methods[%d]", i)
		if meth.Name == "" {
			c.add(p+".name", fmt.Errorf("missing"))
		} else if err := checkExported(meth.Name); err != nil {
			c.add(p+".name", err)
		} else if seen[meth.Name] {
			c.add(p+".name", fmt.Errorf("method %s is listed twice", meth.Name))
		}
		seen[meth.Name] = true
		if meth.Signature == "" {
			c.add(p+".signature", fmt.Errorf("missing"))
		} else if ft, err := ParseSignature(meth.Signature); err != nil {
			c.add(p+".signature", err)
		} else {
			for _, q := range Qualifiers(ft) {
				if _, ok := names[q]; !ok {
					c.add(p+".signature", fmt.Errorf("refers to package %s, which contract.imports does not list", q))
				}
			}
		}
		if meth.Example != "" {
			if _, err := ParseStatements(meth.Example); err != nil {
				c.add(p+".example", err)
			}
		}
	}
}

// A Member is one thing a contract requires of a plugin's code: a method of
// the interface, or an exported symbol. Comparing the members of two
// contracts tells what a plugin must change to move from one to the other.
type Member struct {
	Name string
	// Signature is the member's Go type, as "func(...) ...".
	Signature string
	// Required is false for a member the plugin may leave out.
	Required bool
}

// Members lists what a plugin's code must provide, in manifest order.
func (k *Contract) Members() []Member {
	var ms []Member
	for _, m := range k.Methods {
		ms = append(ms, Member{Name: m.Name, Signature: m.Signature, Required: true})
	}
	return ms
}

// LookupSymbols lists the exported names the host passes to plugin.Lookup,
// required ones first.
func (k *Contract) LookupSymbols() []string {
	switch k.Kind {
	case KindInterfaceVariable:
		return []string{k.Symbol}
	}
	return nil
}
