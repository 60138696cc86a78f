package hooks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/importname"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// implementer writes a type of the plugin's own whose pointer has the
// interface's methods, and the exported variable of it the host looks up:
// Lookup returns the variable's address, which the host asserts to the
// interface. The compile-time proof holds that pointer to a copy of the
// interface declared in the plugin, so the plugin need not import the
// host's package; when the methods name that package the plugin imports
// it anyway, and the proof uses the host's own interface.
func (g *gen) implementer(s *Set) error {
	s.Symbol = g.k.Symbol
	hostName := g.pkgName(g.k.Package)
	needed := slices.ContainsFunc(g.k.Imports, func(imp manifest.Import) bool { return imp.Path == g.k.Package })
	var methods []*fn
	var lines []string
	for _, m := range g.k.Methods {
		f, err := g.newFn(m.Name, m.Signature, m.Doc, m.Example, true)
		if err != nil {
			return fmt.Errorf("method %s: %w", m.Name, err)
		}
		f.target = g.k.Symbol
		g.use(f)
		s.Methods = append(s.Methods, f.build(g))
		methods = append(methods, f)
		lines = append(lines, f.name+f.signature())
	}
	if g.o.Proof != nil {
		lines = nil
		for _, m := range g.o.Proof {
			f, err := g.newFn(m.Name, m.Signature, "", "", true)
			if err != nil {
				return fmt.Errorf("method %s: %w", m.Name, err)
			}
			for _, q := range f.qualifiers {
				g.imports.add(importSpec(g.k, q))
			}
			lines = append(lines, f.name+f.signature())
		}
	}
	if needed {
		s.Interface = hostName + "." + g.k.Interface
		s.ProofNote = fmt.Sprintf("The methods name package %s, so the plugin imports it and proves %s against %s itself.", g.k.Package, g.k.Symbol, s.Interface)
	} else {
		local := g.k.Interface
		if local == g.o.Type || local == g.k.Symbol || Reserved(local) {
			local += "Contract"
		}
		s.Interface = local
		s.LocalInterface = fmt.Sprintf("// %s is a copy of %s.%s (%s), which %s asserts the\n// address of %s to. The host checks the methods, not the type's name,\n// so the plugin need not import that package.\ntype %s interface {\n%s\n}",
			local, hostName, g.k.Interface, g.k.Package, "the host", g.k.Symbol, local, strings.Join(lines, "\n"))
	}
	s.Assertions = append(s.Assertions, fmt.Sprintf("var _ %s = &%s", s.Interface, g.k.Symbol))

	// The harness asserts as the host does: to the host's own interface.
	// When the methods name the package, the harness imports it by the
	// name the signatures use; otherwise it is an import of its own,
	// named with the file's other imports (see [importname]). Messages
	// call it by the package's own name.
	qual, spec := hostName, importSpec(g.k, hostName)
	if !needed {
		qual, spec = importname.Placeholder(g.k.Package), importname.Spec(g.k.Package)
	}
	g.harness.add(spec)
	iface := qual + "." + g.k.Interface
	shown := manifest.DefaultPackageName(g.k.Package) + "." + g.k.Interface
	if needed {
		shown = iface
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sym := lookup(p, %s)\n", goString(g.k.Symbol))
	fmt.Fprintf(&b, "impl, ok := sym.(%s)\n", iface)
	fmt.Fprintf(&b, "if !ok {\n%s\n}\n", failType(g.k.Symbol, "sym", iface, shown))
	fmt.Fprintf(&b, "say(%s)\n", goString("ok: the address of "+g.k.Symbol+" is a "+shown))
	for _, m := range methods {
		m.target = "impl"
		b.WriteString(g.harnessCall(m, true, "r"))
	}
	s.Harness.Body = b.String()
	return nil
}
