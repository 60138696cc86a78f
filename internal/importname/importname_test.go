package importname

import (
	"bytes"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestPlaceholder(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"log", "πlog"},
		{"net/http/httptest", "πnetϰ2fhttpϰ2fhttptest"},
		{"example.com/go-kit/log", "πexampleϰ2ecomϰ2fgoϰ2dkitϰ2flog"},
	} {
		got := Placeholder(tt.path)
		if got != tt.want {
			t.Errorf("Placeholder(%q) = %q, want %q", tt.path, got, tt.want)
		}
		if !token.IsIdentifier(got) {
			t.Errorf("Placeholder(%q) = %q is not an identifier", tt.path, got)
		}
		if back, ok := pathOf(got); !ok || back != tt.path {
			t.Errorf("pathOf(%q) = %q, %v, want %q", got, back, ok, tt.path)
		}
	}
	for _, name := range []string{"log", "π", "πα", "πlogϰ2", "πlogϰzz"} {
		if path, ok := pathOf(name); ok {
			t.Errorf("pathOf(%q) = %q, want no placeholder", name, path)
		}
	}
}

// p is a placeholder, short for the tests' sources.
func p(path string) string { return Placeholder(path) }

func TestResolve(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{{
		name: "own name when free",
		src:  "import " + Spec("log") + "\nfunc f() { " + p("log") + ".Print() }",
		want: "import \"log\"\n\nfunc f() { log.Print() }",
	}, {
		name: "a host package keeps its name",
		src:  "import (\n" + Spec("log") + "\n\"example.com/sdk/log\"\n)\nvar _ *log.Logger\nfunc f() { " + p("log") + ".Print() }",
		want: "import (\n\t\"example.com/sdk/log\"\n\tgolog \"log\"\n)\n\nvar _ *log.Logger\n\nfunc f() { golog.Print() }",
	}, {
		name: "a host package named by the signatures",
		src:  "import (\n" + Spec("errors") + "\nerrors \"example.com/sdk/errs\"\n)\nvar _ errors.E\nvar _ = " + p("errors") + ".Is",
		want: "import (\n\tgoerrors \"errors\"\n\terrors \"example.com/sdk/errs\"\n)\n\nvar _ errors.E\nvar _ = goerrors.Is",
	}, {
		name: "an identifier takes the name",
		src:  "import " + Spec("log") + "\nfunc f(log, golog int) { " + p("log") + ".Print() }",
		want: "import golog2 \"log\"\n\nfunc f(log, golog int) { golog2.Print() }",
	}, {
		name: "own host package before the standard one",
		src:  "import (\n" + Spec("plugin") + "\n" + Spec("example.com/router/plugin") + "\n)\nvar _ " + p("plugin") + ".Symbol\nvar _ " + p("example.com/router/plugin") + ".Registerer",
		want: "import (\n\t\"example.com/router/plugin\"\n\tgoplugin \"plugin\"\n)\n\nvar _ goplugin.Symbol\nvar _ plugin.Registerer",
	}, {
		name: "a package the file imports already",
		src:  "import (\n" + Spec("net/http/httptest") + "\nrec \"net/http/httptest\"\n)\nvar _ = rec.NewRecorder\nvar _ = " + p("net/http/httptest") + ".NewRequest",
		want: "import (\n\trec \"net/http/httptest\"\n)\n\nvar _ = rec.NewRecorder\nvar _ = rec.NewRequest",
	}, {
		name: "a package the file imports already, between others",
		src:  "import (\n\"fmt\"\n" + Spec("net/http/httptest") + "\n\"os\"\nrec \"net/http/httptest\"\n)\nvar _ = fmt.Sprint\nvar _ = os.Exit\nvar _ = rec.NewRecorder\nvar _ = " + p("net/http/httptest") + ".NewRequest",
		want: "import (\n\t\"fmt\"\n\trec \"net/http/httptest\"\n\t\"os\"\n)\n\nvar _ = fmt.Sprint\nvar _ = os.Exit\nvar _ = rec.NewRecorder\nvar _ = rec.NewRequest",
	}, {
		name: "a selector's member is no identifier of the file",
		src:  "import " + Spec("fmt") + "\nfunc f(x T) string { return x.fmt + " + p("fmt") + ".Sprint() }",
		want: "import \"fmt\"\n\nfunc f(x T) string { return x.fmt + fmt.Sprint() }",
	}} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolve(t, tt.src)
			if err != nil {
				t.Fatal(err)
			}
			want := "package p\n\n" + tt.want + "\n"
			if got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestResolveRefuses(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{{
		name: "a placeholder not imported",
		src:  "var _ = " + p("fmt") + ".Sprint",
		want: "code refers to package fmt, which the file does not import",
	}, {
		name: "two named imports of one name",
		src:  "import (\n\"example.com/a/log\"\n\"example.com/b/log\"\n)\nvar _ log.A",
		want: "imports example.com/a/log and example.com/b/log both as log",
	}} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolve(t, tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want %q", err, tt.want)
			}
		})
	}
}

// resolve parses src as a file of package p, resolves its placeholders and
// formats it.
func resolve(t *testing.T, src string) (string, error) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n"+src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := Resolve(fset, f); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		t.Fatal(err)
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return string(out), nil
}
