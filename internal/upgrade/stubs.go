package upgrade

import (
	"io/fs"
	"strconv"

	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/hooks"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/render"
)

// stubs are the pieces of hooks_VERSION.go.
type stubs struct {
	Host, HostVersion, Type, Receiver string
	Interface                         string
	Imports                           []string
	// Methods are added methods of the interface; Funcs and Vars, added
	// functions and variables of the plugin's package, each held to its
	// type by an assertion.
	Methods, Funcs []hooks.Func
	Vars           []hooks.Var
	Assertions     []string
}

// writeStubs writes the stubs for the named new members into a file of
// their own, hooks_VERSION.go, rendered from the templates' stubs.go.tmpl.
// The bodies are the generated hooks' (they honour the context and pass
// inputs through) without the manifest's examples, which may use names
// the author's code no longer declares; a string result is the plugin's
// name, which the regenerated tests accept where an example chose one.
func (u *upgrader) writeStubs(typ string, changes []Change) (string, error) {
	m := u.o.Manifest
	st := stubs{Host: m.Host.Name, HostVersion: m.Host.Version, Type: typ, Receiver: hooks.Receiver}
	methods := manifest.Contract{Kind: manifest.KindInterfaceVariable, Package: m.Contract.Package,
		Interface: m.Contract.Interface, Symbol: "Plugin", Imports: m.Contract.Imports}
	funcs := manifest.Contract{Kind: manifest.KindSymbols, Imports: m.Contract.Imports}
	for _, ch := range changes {
		if ch.Method {
			methods.Methods = append(methods.Methods, manifest.Method{Name: ch.Name, Signature: ch.New, Doc: docOf(&m.Contract, ch.Name)})
		} else {
			funcs.Symbols = append(funcs.Symbols, manifest.Symbol{Name: ch.Name, Type: ch.New, Required: true, Doc: docOf(&m.Contract, ch.Name)})
		}
	}
	str := ""
	if u.gen.Name != "" {
		str = strconv.Quote(u.gen.Name)
	}
	var imports []string
	if len(methods.Methods) > 0 {
		set, err := hooks.New(&methods, hooks.Options{Type: typ, String: str})
		if err != nil {
			return "", err
		}
		st.Interface, st.Methods = set.Interface, set.Methods
		imports = append(imports, set.Imports...)
	}
	if len(funcs.Symbols) > 0 {
		set, err := hooks.New(&funcs, hooks.Options{String: str})
		if err != nil {
			return "", err
		}
		st.Funcs, st.Vars, st.Assertions = set.Funcs, set.Vars, set.Assertions
		imports = append(imports, set.Imports...)
	}
	// The file's formatting drops the imports it does not use.
	st.Imports = hooks.GroupImports(imports)
	r, err := render.New(u.o.templates())
	if err != nil {
		return "", err
	}
	out, err := r.Render("stubs.go.tmpl", st)
	if err != nil {
		return "", err
	}
	name := stubFile(m.Host.Version, 1)
	for i := 2; u.out[name] != nil || u.src[name] != nil; i++ {
		name = stubFile(m.Host.Version, i)
	}
	if out, err = generator.FormatGo(name, out); err != nil {
		return "", err
	}
	tmpl, err := fs.ReadFile(u.o.templates(), "stubs.go.tmpl")
	if err != nil {
		return "", err
	}
	if err := generator.CheckDirectives(name, out, tmpl); err != nil {
		return "", err
	}
	u.write(name, out, Added)
	return name, nil
}

// docOf is the contract's doc of a member.
func docOf(k *manifest.Contract, name string) string {
	for _, m := range k.Methods {
		if m.Name == name {
			return m.Doc
		}
	}
	for _, s := range k.Symbols {
		if s.Name == name {
			return s.Doc
		}
	}
	return ""
}
