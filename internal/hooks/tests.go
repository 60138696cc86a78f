package hooks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/importname"
)

// tests writes a test that calls f with sample input (through the value
// the host sees, for a method) and checks what a hello-world can promise:
// no error, inputs passed through. When f takes a context and returns an
// error, a second test checks that a cancelled context is honoured.
func (f *fn) tests(g *gen) (test, cancelTest string) {
	args, setup := f.args(g, "", g.tests)
	var lhs []string
	// Errors are checked first: a failed call's other results mean nothing.
	var errChecks, checks []string
	errs := 0
	// An example that returns its own results decides what comes back.
	through := f.through
	if f.example != "" && endsInReturn(f.example) {
		through = nil
	}
	for i, r := range f.results {
		switch j, ok := through[i]; {
		case r == "error":
			name := "err"
			if errs > 0 {
				name = fmt.Sprintf("err%d", errs+1)
			}
			errs++
			lhs = append(lhs, name)
			errChecks = append(errChecks, fmt.Sprintf("if %s != nil {\nt.Fatalf(%s, %s)\n}", name, format(f.name, ": %v"), name))
		case ok:
			name := "got"
			if len(through) > 1 {
				name = fmt.Sprintf("got%d", i)
			}
			lhs = append(lhs, name)
			in := f.params[j].name
			checks = append(checks, fmt.Sprintf("if !%s.DeepEqual(%s, %s) {\nt.Errorf(%s, %s, %s)\n}", importname.Placeholder("reflect"), name, in, format(f.name, " returned %v, want its input %v"), name, in))
			g.tests.add(importname.Spec("reflect"))
		case r == "string" && through == nil && f.example != "":
			// The example chose the string (a name, a version): an empty
			// one is what a host would log or register as nothing.
			name := "got"
			if slices.Contains(lhs, name) {
				name = fmt.Sprintf("got%d", i)
			}
			lhs = append(lhs, name)
			checks = append(checks, fmt.Sprintf("if %s == \"\" {\nt.Errorf(%s)\n}", name, format(f.name, " returned an empty string")))
		default:
			lhs = append(lhs, "_")
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
	lines = append(lines, checks...)
	test = strings.Join(lines, "\n")

	last := lastError(f.results)
	if f.ctx == "" || last < 0 {
		return test, ""
	}
	ctx := g.stdName("context")
	args, setup = f.args(g, "ctx", g.tests)
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

// constructorHelper writes newPlugin, which the method tests call to get
// an implementation the way the host does: through the constructor.
func (f *fn) constructorHelper(g *gen) string {
	args, setup := f.args(g, "", g.tests)
	lhs := make([]string, len(f.results))
	var checks []string
	for i, r := range f.results {
		switch {
		case r == f.iface && !slices.Contains(lhs, "p"):
			lhs[i] = "p"
		case r == "error":
			lhs[i] = "err"
			checks = append(checks, fmt.Sprintf("if err != nil {\nt.Fatalf(%s, err)\n}", format(f.name, ": %v")))
		default:
			lhs[i] = "_"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// newPlugin calls %s as the host does.\n", f.name)
	fmt.Fprintf(&b, "func newPlugin(t *%s.T) %s {\nt.Helper()\n", importname.Placeholder("testing"), f.iface)
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
