package compat

import (
	"debug/dwarf"
	"debug/elf"
	"fmt"
	"go/ast"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// The type of each symbol the host looks up is read from the plugin's
// DWARF, where the compiler names every type as the runtime does
// ("*example.com/sdk.Context", "map[string]interface {}"): a function's
// parameters and results, a variable's type and, for a variable whose
// address the host asserts to an interface, the methods of that address.
// A plugin built without DWARF (-ldflags=-w) cannot be verified, and the
// check says so rather than pass it.

// goKind is the DWARF attribute in which Go records a type's reflect.Kind.
const goKind dwarf.Attr = 0x2900

// Kinds from reflect, as goKind holds them.
const (
	kindInterface = 20
	kindPointer   = 22
)

// plugDWARF is what the plugin's DWARF says of its main package.
type plugDWARF struct {
	d      *dwarf.Data
	prefix string                  // the main package's path and a dot
	vars   map[string]dwarf.Offset // name -> type
	funcs  map[string][]param      // name, or Type.Method, or (*Type).Method -> parameters
	err    error
}

type param struct {
	typ    string
	result bool
}

// readTypes reads a plugin's DWARF. The unit tests, whose plugins are
// made up in memory, replace it with one that returns nil, which skips
// the type check; real plugins are checked end to end.
var readTypes = readDWARF

func readDWARF(plugin *artifact.File) *plugDWARF {
	if plugin == nil {
		return &plugDWARF{}
	}
	pd := &plugDWARF{prefix: plugin.PluginPath + ".", vars: map[string]dwarf.Offset{}, funcs: map[string][]param{}}
	in, err := input.Open(plugin.Path, input.BinaryLimit)
	if err != nil {
		pd.err = err
		return pd
	}
	defer in.Close()
	f, err := elf.NewFile(in)
	if err != nil {
		pd.err = err
		return pd
	}
	defer f.Close()
	if pd.d, err = typeDWARF(f); err != nil {
		pd.err = err
		return pd
	}
	r := pd.d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			pd.err = fmt.Errorf("reading the plugin's DWARF: %w", err)
			return pd
		}
		if e == nil {
			break
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		switch e.Tag {
		case dwarf.TagCompileUnit:
			if name+"." != pd.prefix {
				r.SkipChildren()
			}
		case dwarf.TagVariable:
			if rest, ok := strings.CutPrefix(name, pd.prefix); ok {
				if off, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
					pd.vars[rest] = off
				}
			}
		case dwarf.TagSubprogram:
			rest, ok := strings.CutPrefix(name, pd.prefix)
			if !ok || !e.Children {
				if e.Children {
					r.SkipChildren()
				}
				continue
			}
			var ps []param
			// The compiler names every parameter, ~p0 and ~r0 where the
			// source does not, and writes a struct result twice: a name
			// seen before is that second entry.
			seen := map[string]bool{}
			for {
				c, err := r.Next()
				if err != nil || c == nil || c.Tag == 0 {
					break
				}
				pname, _ := c.Val(dwarf.AttrName).(string)
				if c.Tag == dwarf.TagFormalParameter && (pname == "" || !seen[pname]) {
					seen[pname] = true
					isResult, _ := c.Val(dwarf.AttrVarParam).(bool)
					ps = append(ps, param{typ: pd.typeName(c), result: isResult})
				}
				if c.Children {
					r.SkipChildren()
				}
			}
			pd.funcs[rest] = ps
		}
	}
	return pd
}

// typeName is the name of the type an entry's AttrType refers to.
func (pd *plugDWARF) typeName(e *dwarf.Entry) string {
	off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
	if !ok {
		return "?"
	}
	te := pd.entry(off)
	if te == nil {
		return "?"
	}
	name, _ := te.Val(dwarf.AttrName).(string)
	return name
}

func (pd *plugDWARF) entry(off dwarf.Offset) *dwarf.Entry {
	r := pd.d.Reader()
	r.Seek(off)
	e, err := r.Next()
	if err != nil {
		return nil
	}
	return e
}

// kind is a type's Go kind, through typedefs.
func (pd *plugDWARF) kind(off dwarf.Offset) int64 {
	for range 8 {
		e := pd.entry(off)
		if e == nil {
			return -1
		}
		if k, ok := e.Val(goKind).(int64); ok {
			return k
		}
		next, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
		if !ok || e.Tag != dwarf.TagTypedef {
			return -1
		}
		off = next
	}
	return -1
}

// signature writes a function's DWARF parameters as a func type; skip
// leaves out a method's receiver.
func signature(ps []param, skip int) string {
	var in, out []string
	for i, p := range ps {
		switch {
		case i < skip:
		case p.result:
			out = append(out, p.typ)
		default:
			in = append(in, p.typ)
		}
	}
	s := "func(" + strings.Join(in, ", ") + ")"
	switch len(out) {
	case 0:
	case 1:
		s += " " + out[0]
	default:
		s += " (" + strings.Join(out, ", ") + ")"
	}
	return s
}

// compareTypes checks the type of each looked-up symbol the plugin
// exports as the host asserts it.
func compareTypes(k *manifest.Contract, handlers []string, plugin *artifact.File) []Mismatch {
	var ms []Mismatch
	var pd *plugDWARF
	if readTypes(nil) == nil {
		return nil
	}
	dw := func() *plugDWARF {
		if pd == nil {
			pd = readTypes(plugin)
		}
		return pd
	}
	cannot := func(name, typ string, err error) Mismatch {
		return Mismatch{
			What:   "type of symbol " + name,
			Host:   "asserts " + typ,
			Plugin: "cannot be verified: " + err.Error(),
			Fix:    "build the plugin with its DWARF (no -w in -ldflags) so scaffold check can verify it, or run make test-load against the host",
		}
	}
	funcType := func(name, sig string) {
		if _, ok := plugin.Exports[name]; !ok {
			return
		}
		want, err := dwarfFunc(sig, k)
		if err != nil {
			ms = append(ms, cannot(name, sig, err))
			return
		}
		if dw().err != nil {
			ms = append(ms, cannot(name, sig, pd.err))
			return
		}
		ps, ok := pd.funcs[name]
		if !ok {
			if _, isVar := pd.vars[name]; !isVar {
				ms = append(ms, cannot(name, sig, fmt.Errorf("its DWARF has no function %s", name)))
			}
			return
		}
		if got := signature(ps, 0); got != want {
			ms = append(ms, Mismatch{
				What:   "type of symbol " + name,
				Host:   "asserts " + alike(sig, want, got),
				Plugin: "has " + got,
				Fix:    fmt.Sprintf("declare it as func %s%s", name, strings.TrimPrefix(sig, "func")),
			})
		}
	}
	varType := func(name, typ string) {
		if _, ok := plugin.Exports[name]; !ok {
			return
		}
		want, err := dwarfType(typ, k)
		if err != nil {
			ms = append(ms, cannot(name, "*"+typ, err))
			return
		}
		if dw().err != nil {
			ms = append(ms, cannot(name, "*"+typ, pd.err))
			return
		}
		off, ok := pd.vars[name]
		if !ok {
			return // a function: compareSymbols says so
		}
		if got := pd.typeName(&dwarf.Entry{Field: []dwarf.Field{{Attr: dwarf.AttrType, Val: off}}}); got != want {
			ms = append(ms, Mismatch{
				What:   "type of symbol " + name,
				Host:   "asserts *" + alike(typ, want, got),
				Plugin: "has a variable of type " + got,
				Fix:    fmt.Sprintf("declare it as var %s %s", name, typ),
			})
		}
	}
	switch k.Kind {
	case manifest.KindInterfaceVariable:
		varType(k.Symbol, k.ImportName(k.Package)+"."+k.Interface)
	case manifest.KindConstructor:
		if k.Constructor != nil {
			funcType(k.Constructor.Name, k.Constructor.Signature)
		}
	case manifest.KindSymbols:
		for _, s := range k.Symbols {
			if s.IsFunc() {
				funcType(s.Name, s.Type)
			} else {
				varType(s.Name, s.Type)
			}
		}
	case manifest.KindHandlers:
		if k.Handler != nil {
			for _, h := range handlers {
				funcType(h, k.Handler.Type)
			}
		}
	case manifest.KindImplementer:
		ms = append(ms, implementerType(k, plugin, dw, cannot)...)
	}
	return ms
}

// alike returns typ, the host's type as the contract writes it, followed
// by want, the same type with its packages' import paths, when the
// plugin's type got reads like want without those paths: a host package
// named like another, such as an SDK's log beside the standard log, makes
// the two types differ only there.
func alike(typ, want, got string) string {
	if withoutDirs(want) == withoutDirs(got) {
		return typ + ", that is " + want
	}
	return typ
}

// withoutDirs drops the directories of the import paths in a type printed
// with them: "*example.com/sdk/log.Logger" becomes "*log.Logger".
func withoutDirs(typ string) string {
	var b strings.Builder
	start := 0 // of the current run of characters an import path may hold
	for i := 0; i <= len(typ); i++ {
		if i < len(typ) && (typ[i] == '/' || typ[i] == '.' || typ[i] == '-' || typ[i] == '_' || typ[i] == '~' || typ[i] == '+' ||
			'a' <= typ[i] && typ[i] <= 'z' || 'A' <= typ[i] && typ[i] <= 'Z' || '0' <= typ[i] && typ[i] <= '9') {
			continue
		}
		run := typ[start:i]
		b.WriteString(run[strings.LastIndexByte(run, '/')+1:])
		if i < len(typ) {
			b.WriteByte(typ[i])
		}
		start = i + 1
	}
	return b.String()
}

// implementerType checks a variable whose address the host asserts to an
// interface: its type must not be an interface or a pointer (whose
// addresses have no methods), and the address must have every method of
// the interface with its exact signature.
func implementerType(k *manifest.Contract, plugin *artifact.File, dw func() *plugDWARF, cannot func(string, string, error) Mismatch) []Mismatch {
	name := k.Symbol
	iface := k.ImportName(k.Package) + "." + k.Interface
	if _, ok := plugin.Exports[name]; !ok {
		return nil
	}
	pd := dw()
	if pd.err != nil {
		return []Mismatch{cannot(name, "its address to "+iface, pd.err)}
	}
	off, ok := pd.vars[name]
	if !ok {
		return nil // a function: compareSymbols says so
	}
	typ := pd.typeName(&dwarf.Entry{Field: []dwarf.Field{{Attr: dwarf.AttrType, Val: off}}})
	switch pd.kind(off) {
	case kindInterface:
		return []Mismatch{{
			What:   "type of symbol " + name,
			Host:   fmt.Sprintf("asserts the variable's address to %s (%s)", iface, k.Package),
			Plugin: fmt.Sprintf("declares %s as the interface %s: its address, a *%s, has no methods", name, typ, typ),
			Fix:    fmt.Sprintf("give %s a type of the plugin's own whose pointer has the methods of %s: var %s T", name, iface, name),
		}}
	case kindPointer:
		return []Mismatch{{
			What:   "type of symbol " + name,
			Host:   fmt.Sprintf("asserts the variable's address to %s (%s)", iface, k.Package),
			Plugin: fmt.Sprintf("declares %s as the pointer %s: its address, a *%s, has no methods", name, typ, typ),
			Fix:    fmt.Sprintf("declare the value, not a pointer: var %s %s", name, strings.TrimPrefix(typ, "*")),
		}}
	}
	local := strings.TrimPrefix(typ, pd.prefix)
	var ms []Mismatch
	for _, m := range k.Methods {
		want, err := dwarfFunc(m.Signature, k)
		if err != nil {
			ms = append(ms, cannot(name, iface, err))
			continue
		}
		ps, ok := pd.funcs["(*"+local+")."+m.Name]
		if !ok {
			ps, ok = pd.funcs[local+"."+m.Name]
		}
		if !ok {
			ms = append(ms, Mismatch{
				What:   "type of symbol " + name,
				Host:   fmt.Sprintf("asserts the variable's address to %s, which has the method %s", iface, m.Name),
				Plugin: fmt.Sprintf("%s has no method %s", typ, m.Name),
				Fix:    fmt.Sprintf("add to %s: func (p *%s) %s%s", local, local, m.Name, strings.TrimPrefix(m.Signature, "func")),
			})
			continue
		}
		if got := signature(ps, 1); got != want {
			ms = append(ms, Mismatch{
				What:   "type of symbol " + name,
				Host:   fmt.Sprintf("asserts the variable's address to %s, whose method %s is %s", iface, m.Name, m.Signature),
				Plugin: fmt.Sprintf("%s.%s is %s", typ, m.Name, got),
				Fix:    fmt.Sprintf("declare it as func (p *%s) %s%s", local, m.Name, strings.TrimPrefix(m.Signature, "func")),
			})
		}
	}
	return ms
}

// dwarfType writes a manifest's Go type as the compiler names it in DWARF:
// package paths in full, any as "interface {}", byte as uint8, rune as
// int32. Struct and non-empty interface literals are not written: their
// names are not worth guessing, and the caller says it cannot verify.
func dwarfType(src string, k *manifest.Contract) (string, error) {
	expr, err := manifest.ParseType(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := writeDWARF(&b, expr, k); err != nil {
		return "", fmt.Errorf("%s: %w", src, err)
	}
	return b.String(), nil
}

// dwarfFunc writes a function's type as its DWARF parameters read: a
// variadic parameter is the slice it is inside the function.
func dwarfFunc(sig string, k *manifest.Contract) (string, error) {
	ft, err := manifest.ParseSignature(sig)
	if err != nil {
		return "", err
	}
	if n := len(ft.Params.List); n > 0 {
		if el, ok := ft.Params.List[n-1].Type.(*ast.Ellipsis); ok {
			ft.Params.List[n-1].Type = &ast.ArrayType{Elt: el.Elt}
		}
	}
	var b strings.Builder
	if err := writeDWARF(&b, ft, k); err != nil {
		return "", fmt.Errorf("%s: %w", sig, err)
	}
	return b.String(), nil
}

var basicNames = map[string]string{"any": "interface {}", "byte": "uint8", "rune": "int32"}

func writeDWARF(b *strings.Builder, e ast.Expr, k *manifest.Contract) error {
	switch e := e.(type) {
	case *ast.Ident:
		if n, ok := basicNames[e.Name]; ok {
			b.WriteString(n)
		} else {
			b.WriteString(e.Name)
		}
	case *ast.SelectorExpr:
		pkg := e.X.(*ast.Ident).Name
		path := ""
		for _, imp := range k.Imports {
			if imp.PackageName() == pkg {
				path = imp.Path
			}
		}
		if path == "" {
			return fmt.Errorf("package %s is not among the contract's imports", pkg)
		}
		b.WriteString(path + "." + e.Sel.Name)
	case *ast.StarExpr:
		b.WriteString("*")
		return writeDWARF(b, e.X, k)
	case *ast.ParenExpr:
		return writeDWARF(b, e.X, k)
	case *ast.Ellipsis:
		b.WriteString("...")
		return writeDWARF(b, e.Elt, k)
	case *ast.ArrayType:
		if e.Len != nil {
			lit, ok := e.Len.(*ast.BasicLit)
			if !ok {
				return fmt.Errorf("an array length that is not a number")
			}
			b.WriteString("[" + lit.Value + "]")
		} else {
			b.WriteString("[]")
		}
		return writeDWARF(b, e.Elt, k)
	case *ast.MapType:
		b.WriteString("map[")
		if err := writeDWARF(b, e.Key, k); err != nil {
			return err
		}
		b.WriteString("]")
		return writeDWARF(b, e.Value, k)
	case *ast.ChanType:
		switch e.Dir {
		case ast.RECV:
			b.WriteString("<-chan ")
		case ast.SEND:
			b.WriteString("chan<- ")
		default:
			b.WriteString("chan ")
		}
		return writeDWARF(b, e.Value, k)
	case *ast.InterfaceType:
		if e.Methods != nil && len(e.Methods.List) > 0 {
			return fmt.Errorf("an interface literal")
		}
		b.WriteString("interface {}")
	case *ast.FuncType:
		var in, out []string
		for _, list := range []struct {
			fl  *ast.FieldList
			dst *[]string
		}{{e.Params, &in}, {e.Results, &out}} {
			if list.fl == nil {
				continue
			}
			for _, f := range list.fl.List {
				var fb strings.Builder
				if err := writeDWARF(&fb, f.Type, k); err != nil {
					return err
				}
				for range max(1, len(f.Names)) {
					*list.dst = append(*list.dst, fb.String())
				}
			}
		}
		b.WriteString(signature(slices.Concat(asParams(in, false), asParams(out, true)), 0))
	default:
		return fmt.Errorf("a type whose DWARF name is not worth guessing")
	}
	return nil
}

func asParams(types []string, result bool) []param {
	var ps []param
	for _, t := range types {
		ps = append(ps, param{typ: t, result: result})
	}
	return ps
}

// typeDWARF reads only the DWARF sections that hold types and names: the
// line, frame and location tables, most of a plugin's DWARF, are never
// decompressed or parsed. Measured on an 11 MB plugin, two to three times
// faster than the whole of f.DWARF.
func typeDWARF(f *elf.File) (*dwarf.Data, error) {
	data := func(name string) ([]byte, error) {
		s := f.Section(name)
		if s == nil {
			return nil, nil
		}
		return artifact.SectionData(s)
	}
	info, err := data(".debug_info")
	if err != nil {
		return nil, fmt.Errorf("reading the plugin's DWARF: %w", err)
	}
	if info == nil {
		if f.Section(".zdebug_info") != nil {
			return f.DWARF() // the old compressed layout: let debug/elf undo it
		}
		return nil, fmt.Errorf("the plugin has no DWARF (built with -ldflags=-w?)")
	}
	abbrev, err := data(".debug_abbrev")
	if err != nil {
		return nil, fmt.Errorf("reading the plugin's DWARF: %w", err)
	}
	str, err := data(".debug_str")
	if err != nil {
		return nil, fmt.Errorf("reading the plugin's DWARF: %w", err)
	}
	d, err := dwarf.New(abbrev, nil, nil, info, nil, nil, nil, str)
	if err != nil {
		return nil, fmt.Errorf("reading the plugin's DWARF: %w", err)
	}
	for _, name := range []string{".debug_addr", ".debug_str_offsets", ".debug_line_str"} {
		b, err := data(name)
		if err != nil {
			return nil, fmt.Errorf("reading the plugin's DWARF: %w", err)
		}
		if b != nil {
			if err := d.AddSection(name, b); err != nil {
				return nil, fmt.Errorf("reading the plugin's DWARF: %w", err)
			}
		}
	}
	return d, nil
}
