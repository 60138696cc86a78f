package hooks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/render"
)

// A host takes a plugin only when what the plugin's functions return is
// live: measured on a real host, a constructor returning nil, or an info
// function returning a zero struct, loads without an error and the host
// then lists no plugin at all. So a function of a symbol set that returns
// an interface the contract describes returns an instance of a type the
// plugin declares for it, with the interface's methods; one that returns
// a struct the contract describes fills the struct's string fields that
// name the plugin.

// An Impl is a type of the plugin's own implementing an interface that a
// function of a symbol set returns.
type Impl struct {
	// Type is the type's name; Interface the interface, as the contract
	// writes it; By the function that returns it.
	Type, Interface, By string
	// Methods implement the interface.
	Methods []Func
	// Declared is false when the examples of the functions that return
	// the interface return instances of their own: the plugin then
	// declares no type for it, and Methods are only the tests of the
	// instances' methods.
	Declared bool
}

// impl is an implementing type being generated.
type impl struct {
	typ, iface, by string
	// helper is the test helper that calls by for an instance.
	helper string
	// methods are the interface's methods, for the harness to call.
	methods []*fn
}

// planImpls names a type of the plugin's own for each interface the
// chosen function symbols return: the first takes the implementing type's
// name, others add the interface's name to it.
func (g *gen) planImpls(chosen []manifest.Symbol) error {
	for _, sym := range chosen {
		if !sym.IsFunc() {
			continue
		}
		ft, err := manifest.ParseSignature(sym.Type)
		if err != nil {
			return fmt.Errorf("symbol %s: %w", sym.Name, err)
		}
		for _, r := range fieldsOf(ft.Results) {
			typ := typeString(r.typ)
			t := g.k.Type(typ)
			if t == nil || len(t.Methods) == 0 || g.implOf(typ) != nil {
				continue
			}
			name, helper := g.o.Type, "newPlugin"
			if n := len(g.impls); n > 0 {
				_, local, _ := strings.Cut(typ, ".")
				name = g.o.Type + local
				helper = fmt.Sprintf("newPlugin%d", n+1)
			}
			g.impls = append(g.impls, &impl{typ: name, iface: typ, by: sym.Name, helper: helper})
		}
	}
	return nil
}

// implOf returns the type implementing the interface typ, or nil.
func (g *gen) implOf(typ string) *impl {
	for _, im := range g.impls {
		if im.iface == typ {
			return im
		}
	}
	return nil
}

// structOf returns the struct typ is, or points to, when the contract
// describes it, and whether typ is a pointer.
func (g *gen) structOf(typ string) (*manifest.NamedType, bool) {
	name, ptr := strings.CutPrefix(typ, "*")
	if t := g.k.Type(name); t != nil && len(t.StringFields) > 0 {
		return t, ptr
	}
	return nil, false
}

// filled returns a composite literal of the struct typ (or a pointer to
// it) whose string fields that say name hold the plugin's name, and those
// that say module or path its module path; the fields it fills; and a
// comment saying what the host reads, for the return statement.
func (g *gen) filled(typ string) (expr string, fields []string, note string) {
	t, ptr := g.structOf(typ)
	var lines []string
	for _, f := range t.StringFields {
		lower := strings.ToLower(f.Name)
		value := ""
		switch {
		case strings.Contains(lower, "name"):
			value = "pluginName"
		case strings.Contains(lower, "module") || strings.Contains(lower, "path"):
			value = goString(g.o.Module)
		default:
			continue
		}
		if f.Doc != "" {
			lines = append(lines, render.Comment(f.Doc))
		}
		lines = append(lines, f.Name+": "+value+",")
		fields = append(fields, f.Name)
	}
	name := strings.TrimPrefix(typ, "*")
	lit := name + "{}"
	if len(lines) > 0 {
		lit = name + "{\n" + strings.Join(lines, "\n") + "\n}"
	}
	if ptr {
		lit = "&" + lit
	}
	if len(fields) == 0 {
		return lit, nil, ""
	}
	note = wrapComment(fmt.Sprintf("The host reads %s of the %s returned to tell which plugin it loaded: a zero %s loads, but names no plugin, and a host may then list none.", strings.Join(fields, " and "), name, name))
	return lit, fields, note
}

// wrapComment writes text as line comments of at most some 70 columns.
func wrapComment(text string) string {
	var lines []string
	line := "//"
	for _, w := range strings.Fields(text) {
		if len(line) > 2 && len(line)+1+len(w) > 72 {
			lines = append(lines, line)
			line = "//"
		}
		line += " " + w
	}
	return strings.Join(append(lines, line), "\n")
}

// implMethods generates the methods of each planned type, and the test
// helper that gets an instance the way the host does.
func (g *gen) implMethods(s *Set, funcs []*fn) error {
	for _, im := range g.impls {
		t := g.k.Type(im.iface)
		out := Impl{Type: im.typ, Interface: im.iface, By: im.by}
		for _, m := range t.Methods {
			f, err := g.newFn(m.Name, m.Signature, m.Doc, m.Example, true)
			if err != nil {
				return fmt.Errorf("%s method %s: %w", im.iface, m.Name, err)
			}
			f.target = im.helper + "(t)"
			_, local, _ := strings.Cut(im.iface, ".")
			f.testName = local + m.Name
			g.use(f)
			out.Methods = append(out.Methods, f.build(g))
			im.methods = append(im.methods, f)
		}
		// The type is declared when a function returning the interface
		// returns it: one without an example, or whose example does not
		// end the function.
		out.Declared = slices.ContainsFunc(funcs, func(f *fn) bool {
			return slices.Contains(f.results, im.iface) && !endsInReturn(f.example)
		})
		s.Impls = append(s.Impls, out)
		if out.Declared {
			s.Assertions = append(s.Assertions, fmt.Sprintf("var _ %s = (*%s)(nil)", im.iface, im.typ))
		}
		i := slices.IndexFunc(funcs, func(f *fn) bool { return f.name == im.by })
		if i < 0 {
			return fmt.Errorf("no function %s returns %s", im.by, im.iface)
		}
		s.TestHelper = joinCode(s.TestHelper, funcs[i].instanceHelper(g, im.helper, im.iface))
	}
	return nil
}

// joinCode joins two pieces of Go source with a blank line.
func joinCode(a, b string) string {
	if a == "" {
		return b
	}
	return strings.TrimRight(a, "\n") + "\n\n" + b
}
