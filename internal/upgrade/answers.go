package upgrade

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/nearest"
)

// Settable are the answers scaffold upgrade --set changes, by the name it
// takes them by. The plugin's name is not among them: it names the type
// of the author's hook code, which an upgrade never rewrites.
var Settable = []string{"handlers", "hooks", "libc", "license", "module", "version"}

// setAnswers returns a with each of sets (name=value) applied, and a line
// per answer that changed, saying from what to what. Lists are
// comma-separated; an empty one chooses none.
func setAnswers(a lock.Answers, sets []string) (lock.Answers, []string, error) {
	out := a
	out.Libc, out.Hooks, out.Handlers = slices.Clone(a.Libc), slices.Clone(a.Hooks), slices.Clone(a.Handlers)
	for _, s := range sets {
		key, value, ok := strings.Cut(s, "=")
		if !ok {
			return a, nil, fmt.Errorf("--set %q: write it as name=value, name one of %s", s, strings.Join(Settable, ", "))
		}
		switch key {
		case "module":
			if err := generator.CheckModule(value); err != nil {
				return a, nil, fmt.Errorf("--set module: %w", err)
			}
			out.Module = value
		case "version":
			if err := generator.CheckVersion(value); err != nil {
				return a, nil, fmt.Errorf("--set version: %w", err)
			}
			out.Version = value
		case "libc":
			out.Libc = list(value)
		case "hooks":
			out.Hooks = list(value)
		case "handlers":
			out.Handlers = list(value)
			for _, h := range out.Handlers {
				if err := generator.CheckHandlerName(h); err != nil {
					return a, nil, fmt.Errorf("--set handlers: %w", err)
				}
			}
		case "license":
			out.License = value
		case "name":
			return a, nil, fmt.Errorf("--set name: the plugin's name names the type its hook code declares, which an upgrade never rewrites: generate a new plugin with the name instead (scaffold new)")
		default:
			hint := ""
			if n := nearest.Name(key, Settable); n != "" {
				hint = " (did you mean " + n + "?)"
			}
			return a, nil, fmt.Errorf("--set %s: no such answer%s: set one of %s", key, hint, strings.Join(Settable, ", "))
		}
	}
	return out, answerChanges(a, out), nil
}

// list splits a comma-separated list, sorted as answers are recorded.
func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// answerChanges says which answers differ between a and b.
func answerChanges(a, b lock.Answers) []string {
	var out []string
	one := func(name, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s %s → %s", name, orNone(x), orNone(y)))
		}
	}
	one("module", a.Module, b.Module)
	one("version", a.Version, b.Version)
	one("libc", strings.Join(sorted(a.Libc), ","), strings.Join(sorted(b.Libc), ","))
	one("hooks", strings.Join(sorted(a.Hooks), ","), strings.Join(sorted(b.Hooks), ","))
	one("handlers", strings.Join(sorted(a.Handlers), ","), strings.Join(sorted(b.Handlers), ","))
	one("license", a.License, b.License)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// moveImports rewrites, in the Go source src, every import of the module
// path from or a package inside it to the same package under to, from the
// syntax tree; it returns nil when src imports none.
func moveImports(name string, src []byte, from, to string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	changed := false
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		if path == from || strings.HasPrefix(path, from+"/") {
			changed = astutil.RewriteImport(fset, f, path, to+strings.TrimPrefix(path, from)) || changed
		}
	}
	if !changed {
		return nil, nil
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b.Bytes(), nil
}
