package hooks

import (
	"fmt"
	"go/ast"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/importname"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// tests writes a test that calls f with sample input as the host would
// (through the value the host sees, for a method) and checks what the
// hello-world does (see [effects]): no error; what its example visibly
// does; an instance where it returns one the contract describes, and the
// fields of a struct it fills; inputs of a value type passed through.
// When f takes a context and returns an error, a second test checks that
// a cancelled context is honoured.
func (f *fn) tests(g *gen) (test, cancelTest string) {
	fx := f.effects()
	counters := map[string]string{}
	for p := range fx.called {
		counters[p] = p + "Calls"
	}
	args, setup := f.args(g, "", g.tests, counters)
	var lhs []string
	// Errors are checked first: a failed call's other results mean
	// nothing; then that an instance came back; then the rest.
	var errChecks, nilChecks, checks []string
	errs := 0
	reflect := importname.Placeholder("reflect")
	useReflect := func() { g.tests.add(importname.Spec("reflect")) }
	name := func(base string, i int) string {
		if !slices.Contains(lhs, base) {
			return base
		}
		return fmt.Sprintf("%s%d", base, i)
	}
	// An example that returns its own results decides what comes back.
	through := f.through
	chosen := f.example != "" && endsInReturn(f.example)
	if chosen {
		through = nil
	}
	final := f.finalReturn()
	checked := map[string]bool{} // parameters whose change a result shows
	for i, r := range f.results {
		j, passed := through[i]
		sc := f.structResult(g, i, chosen)
		var v string
		switch {
		case r == "error":
			v = "err"
			if errs > 0 {
				v = fmt.Sprintf("err%d", errs+1)
			}
			errs++
			errChecks = append(errChecks, fmt.Sprintf("if %s != nil {\nt.Fatalf(%s, %s)\n}", v, format(f.name, ": %v"), v))
		case passed && fx.changed[f.params[j].name]:
			// What the host gets back must show the change.
			p := f.params[j]
			fresh, _ := g.sample(p.typ)
			if fresh == "" {
				break
			}
			v = name("got", i)
			checked[p.name] = true
			useReflect()
			checks = append(checks, fmt.Sprintf("if %s.DeepEqual(%s, %s) {\nt.Errorf(%s)\n}", reflect, v, fresh, format(f.name, " returned "+p.name+" as it came: the hook changes it")))
		case passed && !byReference(r) && g.implOf(r) == nil:
			// A copy passed through: comparing it with the input is a
			// check, unlike a pointer compared with itself.
			v = name("got", i)
			in := f.params[j].name
			useReflect()
			checks = append(checks, fmt.Sprintf("if !%s.DeepEqual(%s, %s) {\nt.Errorf(%s, %s, %s)\n}", reflect, v, in, format(f.name, " returned %v, want its input %v"), v, in))
		case passed:
		case g.implOf(r) != nil || (f.iface != "" && r == f.iface):
			v = name("got", i)
			nilChecks = append(nilChecks, fmt.Sprintf("if %s == nil {\nt.Fatalf(%s)\n}", v, format(f.name, " returned a nil "+r+": the host would have no plugin to call")))
		case sc != nil:
			v = name("got", i)
			if sc.ptr {
				nilChecks = append(nilChecks, fmt.Sprintf("if %s == nil {\nt.Fatalf(%s)\n}", v, format(f.name, " returned a nil "+r)))
			}
			if len(sc.fields) == 0 {
				useReflect()
				zeroValue := strings.TrimPrefix(r, "*") + "{}"
				if sc.ptr {
					zeroValue = "&" + zeroValue
				}
				checks = append(checks, fmt.Sprintf("if %s.DeepEqual(%s, %s) {\nt.Errorf(%s)\n}", reflect, v, zeroValue, format(f.name, " returned a zero "+strings.TrimPrefix(r, "*")+": the host would not know which plugin it is")))
			}
			for _, field := range sc.fields {
				checks = append(checks, fmt.Sprintf("if %s.%s == \"\" {\nt.Errorf(%s)\n}", v, field, format(f.name, " returned no "+field+": the host reads it")))
			}
		case r == "string" && chosen:
			// The example chose the string (a name, a version): an empty
			// one is what a host would log or register as nothing, and
			// the input as it came is a hook that did nothing.
			v = name("got", i)
			checks = append(checks, fmt.Sprintf("if %s == \"\" {\nt.Errorf(%s)\n}", v, format(f.name, " returned an empty string")))
			if final != nil {
				for _, p := range f.params {
					if id, ok := final[i].(*ast.Ident); p.typ == "string" && !p.variadic && (!ok || id.Name != p.name) {
						checks = append(checks, fmt.Sprintf("if %s == %s {\nt.Errorf(%s, %s)\n}", v, p.name, format(f.name, " returned its input %q as it came"), v))
						break
					}
				}
			}
		case chosen && nilable(r) && final != nil && !isNil(final[i]):
			v = name("got", i)
			nilChecks = append(nilChecks, fmt.Sprintf("if %s == nil {\nt.Fatalf(%s)\n}", v, format(f.name, " returned a nil "+r)))
		}
		if v == "" {
			v = "_"
		}
		lhs = append(lhs, v)
	}
	// Inputs the example changes and no result shows, and callbacks it
	// calls.
	for _, p := range f.params {
		switch {
		case fx.called[p.name]:
			checks = append(checks, fmt.Sprintf("if %s == 0 {\nt.Errorf(%s)\n}", counters[p.name], format(f.name, " never called "+p.name)))
		case fx.changed[p.name] && !checked[p.name]:
			fresh, _ := g.sample(p.typ)
			if fresh == "" || p.variadic {
				continue
			}
			what := "left " + p.name + " as it came: the hook changes it"
			if strings.HasSuffix(p.typ, ".ResponseWriter") {
				what = "wrote nothing to " + p.name + ": the hook writes a header or a response"
			}
			useReflect()
			checks = append(checks, fmt.Sprintf("if %s.DeepEqual(%s, %s) {\nt.Errorf(%s)\n}", reflect, p.name, fresh, format(f.name, " "+what)))
		}
	}
	call := f.call(args)
	lines := setup
	if allBlank(lhs) {
		lines = append(lines, call)
	} else {
		lines = append(lines, strings.Join(lhs, ", ")+" := "+call)
	}
	lines = append(lines, errChecks...)
	lines = append(lines, nilChecks...)
	lines = append(lines, checks...)
	test = strings.Join(lines, "\n")

	last := lastError(f.results)
	if f.ctx == "" || last < 0 {
		return test, ""
	}
	ctx := g.stdName("context")
	args, setup = f.args(g, "ctx", g.tests, nil)
	lines = append([]string{fmt.Sprintf("ctx, cancel := %s.WithCancel(%s.Background())", ctx, ctx), "cancel()"}, setup...)
	lhs = make([]string, len(f.results))
	for i := range lhs {
		lhs[i] = "_"
	}
	lhs[last] = "err"
	lines = append(lines,
		strings.Join(lhs, ", ")+" := "+f.call(args),
		fmt.Sprintf("if !%s.Is(err, %s.Canceled) {\nt.Errorf(%s, err, %s.Canceled)\n}", importname.Placeholder("errors"), ctx, format(f.name, " with a cancelled context returned %v, want %v"), ctx))
	g.tests.add(importname.Spec("errors"))
	return test, strings.Join(lines, "\n")
}

// A structCheck is what a test checks of a struct result.
type structCheck struct {
	ptr bool
	// fields are the string fields that must not be empty: those the
	// hello-world fills, or the example's literal sets; none means the
	// whole must not be zero.
	fields []string
}

// structResult says what to check of result i when it is a struct the
// contract describes (or a pointer to one) that the hello-world fills, or
// that the example returns (chosen) as something other than nil; else
// nil: a struct left zero, or nil, may be what the host takes as "no
// answer".
func (f *fn) structResult(g *gen, i int, chosen bool) *structCheck {
	t, ptr := g.structOf(f.results[i])
	if t == nil {
		return nil
	}
	if fields := f.filledFields[i]; len(fields) > 0 {
		return &structCheck{ptr: ptr, fields: fields}
	}
	final := f.finalReturn()
	if !chosen || final == nil || isNil(final[i]) {
		return nil
	}
	c := &structCheck{ptr: ptr}
	for _, k := range keyedFields(final[i]) {
		if slices.ContainsFunc(t.StringFields, func(fd manifest.Field) bool { return fd.Name == k }) {
			c.fields = append(c.fields, k)
		}
	}
	return c
}

// instanceHelper writes a test helper, helper, that gets an instance of
// iface by calling f as the host does, and fails the test when it returns
// nil: the method tests call it.
func (f *fn) instanceHelper(g *gen, helper, iface string) string {
	args, setup := f.args(g, "", g.tests, nil)
	lhs := make([]string, len(f.results))
	var checks []string
	for i, r := range f.results {
		switch {
		case r == iface && !slices.Contains(lhs, "p"):
			lhs[i] = "p"
		case r == "error":
			lhs[i] = "err"
			checks = append(checks, fmt.Sprintf("if err != nil {\nt.Fatalf(%s, err)\n}", format(f.name, ": %v")))
		default:
			lhs[i] = "_"
		}
	}
	checks = append(checks, fmt.Sprintf("if p == nil {\nt.Fatalf(%s)\n}", format(f.name, " returned a nil "+iface+": the host would have no plugin to call")))
	var b strings.Builder
	fmt.Fprintf(&b, "// %s calls %s as the host does.\n", helper, f.name)
	fmt.Fprintf(&b, "func %s(t *%s.T) %s {\nt.Helper()\n", helper, importname.Placeholder("testing"), iface)
	for _, s := range setup {
		b.WriteString(s + "\n")
	}
	fmt.Fprintf(&b, "%s := %s\n", strings.Join(lhs, ", "), f.call(args))
	for _, c := range checks {
		b.WriteString(c + "\n")
	}
	b.WriteString("return p\n}\n")
	return b.String()
}

func allBlank(names []string) bool {
	for _, n := range names {
		if n != "_" {
			return false
		}
	}
	return true
}
