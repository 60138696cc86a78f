package hooks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/importname"
)

// The harness's statements run in main with the plugin open as p. They
// mirror the host's lookups and type assertions exactly; fail prints and
// exits, so the first refused step ends the run as it would end the
// host's load.

func (g *gen) interfaceHarness(s *Set, ctor *fn, methods []*fn) string {
	var b strings.Builder
	if ctor == nil {
		fmt.Fprintf(&b, "sym := lookup(p, %s)\n", goString(s.Symbol))
		fmt.Fprintf(&b, "ptr, ok := sym.(*%s)\n", s.Interface)
		fmt.Fprintf(&b, "if !ok {\n%s\n}\n", failType(s.Symbol, "sym", "*"+s.Interface, "*"+s.Interface))
		fmt.Fprintf(&b, "say(%s)\n", goString("ok: "+s.Symbol+" is a "+s.Interface+" variable"))
		b.WriteString("impl := *ptr\n")
		fmt.Fprintf(&b, "if impl == nil {\nfailf(%s)\n}\n", format(s.Symbol, " is a nil "+s.Interface+": the host would have no plugin to call"))
	} else {
		sig := g.k.Constructor.Signature
		fmt.Fprintf(&b, "sym := lookup(p, %s)\n", goString(ctor.name))
		fmt.Fprintf(&b, "ctor, ok := sym.(%s)\n", sig)
		fmt.Fprintf(&b, "if !ok {\n%s\n}\n", failType(ctor.name, "sym", sig, sig))
		fmt.Fprintf(&b, "say(%s)\n", goString("ok: "+ctor.name+" is a "+sig))
		args, setup := ctor.args(g, "", g.harness, nil)
		lhs := make([]string, len(ctor.results))
		for i, r := range ctor.results {
			switch {
			case r == s.Interface && !slices.Contains(lhs, "impl"):
				lhs[i] = "impl"
			case r == "error":
				lhs[i] = "err"
			default:
				lhs[i] = "_"
			}
		}
		for _, st := range setup {
			b.WriteString(st + "\n")
		}
		fmt.Fprintf(&b, "%s := ctor(%s)\n", strings.Join(lhs, ", "), strings.Join(args, ", "))
		if slices.Contains(lhs, "err") {
			fmt.Fprintf(&b, "if err != nil {\nfailf(%s, err)\n}\n", format(ctor.name, ": %w"))
		}
		fmt.Fprintf(&b, "if impl == nil {\nfailf(%s)\n}\n", format(ctor.name, " returned a nil "+s.Interface+": the host would have no plugin to call"))
		fmt.Fprintf(&b, "say(%s)\n", goString("ok: "+ctor.name+" returned a "+s.Interface))
	}
	for _, m := range methods {
		m.target = "impl"
		b.WriteString(g.harnessCall(m, true, "r"))
	}
	return b.String()
}

func (g *gen) symbolsHarness(funcs []*fn) string {
	var b strings.Builder
	for _, sym := range g.k.Symbols {
		fmt.Fprintf(&b, "// %s: %s\n", sym.Name, map[bool]string{true: "required", false: "optional"}[sym.Required])
		typ := sym.Type
		if !sym.IsFunc() {
			typ = "*" + typ // Lookup returns a variable's address
		}
		v := "sym" + sym.Name
		if sym.Required {
			fmt.Fprintf(&b, "%s := lookup(p, %s)\n", v, goString(sym.Name))
		} else {
			fmt.Fprintf(&b, "%s, err := p.Lookup(%s)\n", v, goString(sym.Name))
			fmt.Fprintf(&b, "if err != nil {\nsay(%s)\n} else ", goString("skip: optional "+sym.Name+" is not exported"))
		}
		fmt.Fprintf(&b, "if _, ok := %s.(%s); !ok {\n%s\n} else {\nsay(%s)\n}\n",
			v, typ, failType(sym.Name, v, typ, typ), goString("ok: "+sym.Name+" is a "+typ))
	}
	for _, f := range funcs {
		b.WriteString(g.harnessLookupCall(f))
	}
	return b.String()
}

func (g *gen) handlersHarness(funcs []*fn) string {
	var b strings.Builder
	typ := g.k.Handler.Type
	for _, f := range funcs {
		v := "sym" + f.name
		fmt.Fprintf(&b, "%s := lookup(p, %s)\n", v, goString(f.name))
		fmt.Fprintf(&b, "if _, ok := %s.(%s); !ok {\n%s\n}\n", v, typ, failType(f.name, v, typ, typ))
		fmt.Fprintf(&b, "say(%s)\n", goString("ok: "+f.name+" is a "+typ))
	}
	for _, f := range funcs {
		b.WriteString(g.harnessLookupCall(f))
	}
	return b.String()
}

// harnessLookupCall calls an exported function found by Lookup, if the
// plugin exports it.
func (g *gen) harnessLookupCall(f *fn) string {
	var b strings.Builder
	sig := "func" + typeOnly(f)
	fmt.Fprintf(&b, "if sym, err := p.Lookup(%s); err == nil {\n", goString(f.name))
	fmt.Fprintf(&b, "%s := sym.(%s)\n", f.name, sig)
	b.WriteString(g.harnessCall(f, false, "r"))
	b.WriteString("}\n")
	return b.String()
}

// harnessCall calls f with sample input, recovering a panic as the host's
// own failure would, and prints the results. A nil function or interface
// the contract describes among them fails: a host given one has nothing
// to call. The methods of an instance the contract describes are called
// in turn, unless the call is itself one of them (nested).
// Results are named prefix0, prefix1, ...
func (g *gen) harnessCall(f *fn, nested bool, prefix string) string {
	args, setup := f.args(g, "", g.harness, nil)
	var b strings.Builder
	b.WriteString("func() {\n")
	fmt.Fprintf(&b, "defer func() {\nif r := recover(); r != nil {\nfailf(%s, r)\n}\n}()\n", format("calling "+f.name, ": panic: %v"))
	for _, s := range setup {
		b.WriteString(s + "\n")
	}
	call := f.call(args)
	if len(f.results) == 0 {
		fmt.Fprintf(&b, "%s\nsay(%s)\n", call, goString("call: "+f.name+" returned"))
	} else {
		var outs []string
		for i := range f.results {
			outs = append(outs, fmt.Sprintf("%s%d", prefix, i))
		}
		fmt.Fprintf(&b, "%s := %s\n", strings.Join(outs, ", "), call)
		fmt.Fprintf(&b, "say(%s, %s)\n", goString("call: "+f.name+" returned"), strings.Join(outs, ", "))
		for i, r := range f.results {
			im := g.implOf(r)
			if strings.HasPrefix(r, "func(") || im != nil || (f.iface != "" && r == f.iface) {
				fmt.Fprintf(&b, "if %s == nil {\nfailf(%s)\n}\n", outs[i], format(f.name, " returned a nil "+r+": the host would have nothing to call"))
			}
			if im != nil && !nested {
				for _, m := range im.methods {
					m.target = outs[i]
					b.WriteString(g.harnessCall(m, true, "m"))
				}
			}
		}
	}
	b.WriteString("}()\n")
	return b.String()
}

// typeOnly is f's signature without parameter names, for a type assertion.
func typeOnly(f *fn) string {
	var ps []string
	for _, p := range f.params {
		ps = append(ps, p.typ)
	}
	sig := "(" + strings.Join(ps, ", ") + ")"
	switch len(f.results) {
	case 0:
	case 1:
		sig += " " + f.results[0]
	default:
		sig += " (" + strings.Join(f.results, ", ") + ")"
	}
	return sig
}

// failType is the call of the harness's failType that fails because the
// symbol name's value v is not of type typ, which messages show as shown.
func failType(name, v, typ, shown string) string {
	return fmt.Sprintf("failType(%s, %s, %s.TypeOf((*%s)(nil)).Elem(), %s)", goString(name), v, importname.Placeholder("reflect"), typ, goString(shown))
}
