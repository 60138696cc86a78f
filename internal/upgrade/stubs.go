package upgrade

import (
	"fmt"
	"go/format"
	"slices"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/hooks"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/render"
)

// writeStubs writes the stubs for the named new members into a file of
// their own, hooks_VERSION.go, rendered from the templates' stubs.go.tmpl.
// The bodies are the generated hooks' (they honour the context and pass
// inputs through) without the manifest's examples, which may use names
// the author's code no longer declares; the imports are the ones the
// signatures use, so that the file compiles beside any code.
func (u *upgrader) writeStubs(typ string, names []string) (string, error) {
	m := u.o.Manifest
	k := m.Contract
	k.Methods = nil
	for _, meth := range m.Contract.Methods {
		if slices.Contains(names, meth.Name) {
			meth.Example = ""
			k.Methods = append(k.Methods, meth)
		}
	}
	set, err := hooks.New(&k, k.Symbol, typ)
	if err != nil {
		return "", err
	}
	if set.Imports, err = stubImports(&k); err != nil {
		return "", err
	}
	r, err := render.New(u.o.templates())
	if err != nil {
		return "", err
	}
	out, err := r.Render("stubs.go.tmpl", struct {
		Host, HostVersion, Type, Receiver string
		Hooks                             *hooks.Set
	}{m.Host.Name, m.Host.Version, typ, hooks.Receiver, set})
	if err != nil {
		return "", err
	}
	if out, err = format.Source(out); err != nil {
		return "", fmt.Errorf("stubs for %s are not valid Go: %w", strings.Join(names, ", "), err)
	}
	name := "hooks_" + m.Host.Version + ".go"
	for i := 2; u.out[name] != nil || u.src[name] != nil; i++ {
		name = fmt.Sprintf("hooks_%s_%d.go", m.Host.Version, i)
	}
	u.write(name, out, Added)
	return name, nil
}

// stubImports are the import specs the methods of k refer to, grouped as
// goimports does: the standard library's, an empty string, the others.
func stubImports(k *manifest.Contract) ([]string, error) {
	var std, other []string
	for _, meth := range k.Methods {
		ft, err := manifest.ParseSignature(meth.Signature)
		if err != nil {
			return nil, fmt.Errorf("method %s: %w", meth.Name, err)
		}
		for _, q := range manifest.Qualifiers(ft) {
			path, spec := q, strconv.Quote(q)
			for _, imp := range k.Imports {
				if imp.PackageName() == q {
					path, spec = imp.Path, strconv.Quote(imp.Path)
					if imp.Name != "" {
						spec = imp.Name + " " + spec
					}
				}
			}
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				other = append(other, spec)
			} else {
				std = append(std, spec)
			}
		}
	}
	byPath := func(a, b string) int {
		return strings.Compare(a[strings.IndexByte(a, '"'):], b[strings.IndexByte(b, '"'):])
	}
	slices.SortFunc(std, byPath)
	slices.SortFunc(other, byPath)
	std, other = slices.Compact(std), slices.Compact(other)
	if len(std) > 0 && len(other) > 0 {
		std = append(std, "")
	}
	return append(std, other...), nil
}
