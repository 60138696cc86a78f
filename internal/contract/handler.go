package contract

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// fillHandler completes a handlers contract. The handler's type is the
// SDK's declaration named by handler.sdkType, or the func type the base
// file writes as handler.type, such as func(http.ResponseWriter,
// *http.Request) for a host that asserts that type inline and declares
// none of its own. Given both, they must agree.
func (p *Package) fillHandler(k *manifest.Contract, q *qualifier) error {
	h := k.Handler
	if h == nil || (h.SDKType == "" && h.Type == "") {
		return fmt.Errorf("contract.handler: required in the base file: the handlers' type, as type (a Go func type such as func(http.ResponseWriter, *http.Request)) or sdkType (a type the SDK declares, such as sdk.Middleware)")
	}
	given := h.Type
	if given != "" {
		sig, err := p.baseType(given, q)
		if err != nil {
			return fmt.Errorf("base file: contract.handler.type: %w", err)
		}
		h.Type = sig
	}
	if h.SDKType == "" {
		return nil
	}
	pkg, name, _ := strings.Cut(h.SDKType, ".")
	if pkg != p.Name {
		return fmt.Errorf("base file: contract.handler.sdkType: %s is not a type of the contract package %s: write the handlers' func type as contract.handler.type instead", h.SDKType, p.Path)
	}
	d, err := p.funcDecl(name, q)
	if err != nil {
		return fmt.Errorf("contract.handler: %w", err)
	}
	if given != "" && d.sig != h.Type {
		return fmt.Errorf("base file: contract.handler.type: %s disagrees with %s, which is %s: drop one of the two", given, h.SDKType, d.sig)
	}
	h.Type = d.sig
	h.SDKType = q.sdkType(name)
	if h.Doc == "" {
		h.Doc = d.doc
	}
	return nil
}

// baseType reads a func type a base file writes. Each package it names is
// the contract package (by its name) or the one package of that name the
// host links, so that func(http.ResponseWriter, *http.Request) needs no
// import list; an unqualified name must be one Go predeclares.
func (p *Package) baseType(typ string, q *qualifier) (string, error) {
	ft, err := manifest.ParseSignature(typ)
	if err != nil {
		return "", err
	}
	var bad error
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if bad != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.Field:
			// Names of parameters, results, fields and methods are not
			// types.
			ast.Inspect(n.Type, visit)
			return false
		case *ast.SelectorExpr:
			id, ok := n.X.(*ast.Ident)
			if !ok {
				bad = fmt.Errorf("%s is not a type name: write a package-qualified name such as http.Request", q.source(n))
				return false
			}
			path, err := p.resolve(id.Name)
			switch other, dup := q.used[id.Name]; {
			case err != nil:
				bad = err
			case dup && other != path:
				bad = fmt.Errorf("package name %s stands for both %s and %s: give the handlers' type as contract.handler.sdkType, a type the contract package declares", id.Name, other, path)
			default:
				q.used[id.Name] = path
			}
			return false
		case *ast.Ident:
			if types.Universe.Lookup(n.Name) == nil {
				bad = fmt.Errorf("%s is not a type Go predeclares: qualify it with its package, as in %s.%s or http.Handler", n.Name, p.Name, n.Name)
			}
		}
		return true
	}
	ast.Inspect(ft, visit)
	if bad != nil {
		return "", bad
	}
	var b bytes.Buffer
	if err := printer.Fprint(&b, token.NewFileSet(), ft); err != nil {
		return "", err
	}
	return b.String(), nil
}

// resolve finds the import path a base file means by a package name.
func (p *Package) resolve(name string) (string, error) {
	if name == p.Name {
		return p.Path, nil
	}
	var found []string
	for _, path := range p.Linked {
		if manifest.DefaultPackageName(path) == name && !strings.HasSuffix(path, "/internal") && !strings.Contains(path, "/internal/") && !strings.HasPrefix(path, "internal/") {
			found = append(found, path)
		}
	}
	slices.Sort(found)
	found = slices.Compact(found)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("no package named %s is linked into the host, nor is %s the contract package %s: name a package the host's own code uses", name, name, p.Path)
	}
	return "", fmt.Errorf("package name %s is ambiguous: the host links %s: give the handlers' type as contract.handler.sdkType, a type the contract package %s declares", name, strings.Join(found, ", "), p.Path)
}
