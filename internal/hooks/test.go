package hooks

import (
	"fmt"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// tests writes a test that calls the method through target, the value the
// host sees, and checks what a hello-world can promise: no error, inputs
// passed through. When the method takes a context and returns an error, a
// second test checks that a cancelled context is honoured.
func (b *builder) tests(k *manifest.Contract, target string) (test, cancelTest string) {
	ctxType := k.ImportName("context")
	args, setup := b.args(ctxType + ".Background()")
	var lhs []string
	// Errors are checked first: a failed call's other results mean nothing.
	var errChecks, checks []string
	errs := 0
	for i, r := range b.results {
		switch j, ok := b.through[i]; {
		case r == "error":
			name := "err"
			if errs > 0 {
				name = fmt.Sprintf("err%d", errs+1)
			}
			errs++
			lhs = append(lhs, name)
			errChecks = append(errChecks, fmt.Sprintf("if %s != nil {\nt.Fatalf(\"%s: %%v\", %s)\n}", name, b.Name, name))
		case ok:
			name := "got"
			if len(b.through) > 1 {
				name = fmt.Sprintf("got%d", i)
			}
			lhs = append(lhs, name)
			in := b.params[j].name
			checks = append(checks, fmt.Sprintf("if !reflect.DeepEqual(%s, %s) {\nt.Errorf(\"%s returned %%v, want its input %%v\", %s, %s)\n}", name, in, b.Name, name, in))
			b.extraTestImports = appendOnce(b.extraTestImports, `"reflect"`)
		default:
			lhs = append(lhs, "_")
		}
	}
	call := fmt.Sprintf("%s.%s(%s)", target, b.Name, strings.Join(args, ", "))
	lines := setup
	if allBlank(lhs) {
		lines = append(lines, call)
	} else {
		lines = append(lines, strings.Join(lhs, ", ")+" := "+call)
	}
	lines = append(lines, errChecks...)
	lines = append(lines, checks...)
	test = strings.Join(lines, "\n")

	last := lastError(b.results)
	if b.ctx == "" || last < 0 {
		return test, ""
	}
	args, setup = b.args("ctx")
	lines = append([]string{fmt.Sprintf("ctx, cancel := %s.WithCancel(%s.Background())", ctxType, ctxType), "cancel()"}, setup...)
	lhs = make([]string, len(b.results))
	for i := range lhs {
		lhs[i] = "_"
	}
	lhs[last] = "err"
	lines = append(lines,
		strings.Join(lhs, ", ")+" := "+call[:strings.Index(call, "(")]+"("+strings.Join(args, ", ")+")",
		fmt.Sprintf("if !errors.Is(err, %s.Canceled) {\nt.Errorf(\"%s with a cancelled context returned %%v, want %%v\", err, %s.Canceled)\n}", ctxType, b.Name, ctxType))
	b.extraTestImports = appendOnce(b.extraTestImports, `"errors"`)
	return test, strings.Join(lines, "\n")
}

// args returns the arguments of a test call and the statements that make
// them: a new value for pointers, the zero value for the rest, ctxExpr for
// the context.
func (b *builder) args(ctxExpr string) (args, setup []string) {
	for _, p := range b.params {
		switch {
		case p.variadic:
			continue
		case p.name == b.ctx:
			if ctxExpr != "ctx" {
				setup = append(setup, fmt.Sprintf("%s := %s", p.name, ctxExpr))
			} else if p.name != "ctx" {
				setup = append(setup, fmt.Sprintf("%s := ctx", p.name))
			}
		case strings.HasPrefix(p.typ, "*"):
			setup = append(setup, fmt.Sprintf("%s := new(%s)", p.name, p.typ[1:]))
		default:
			setup = append(setup, fmt.Sprintf("var %s %s", p.name, p.typ))
		}
		args = append(args, p.name)
	}
	return args, setup
}

func allBlank(names []string) bool {
	for _, n := range names {
		if n != "_" {
			return false
		}
	}
	return true
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
