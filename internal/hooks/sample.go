package hooks

import (
	"fmt"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/importname"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// args returns the arguments of a call of f with sample input and the
// statements that make them. Well-known types get values a hook can use
// (a recorder for an http.ResponseWriter, a request for *http.Request);
// pointers get a new value; the rest their zero value. ctxExpr is the
// context to pass; "" passes context.Background(). The imports the statements need are added to is.
// A function parameter named in counters gets a function that counts its
// calls in the variable counters names.
func (f *fn) args(g *gen, ctxExpr string, is imports, counters map[string]string) (args, setup []string) {
	ctx := g.stdName("context")
	for _, p := range f.params {
		if p.variadic {
			continue
		}
		args = append(args, p.name)
		if p.name == f.ctx {
			if ctxExpr == "" {
				ctxExpr = ctx + ".Background()"
			}
			if ctxExpr != p.name {
				setup = append(setup, fmt.Sprintf("%s := %s", p.name, ctxExpr))
			}
			continue
		}
		expr, imps := g.sample(p.typ)
		is.add(imps...)
		if counter := counters[p.name]; counter != "" && strings.HasPrefix(p.typ, "func(") {
			setup = append(setup, counter+" := 0")
			expr = callback(p.typ, counter)
		}
		if expr == "" {
			setup = append(setup, fmt.Sprintf("var %s %s", p.name, p.typ))
		} else {
			setup = append(setup, fmt.Sprintf("%s := %s", p.name, expr))
		}
	}
	return args, setup
}

// httptest is how generated code refers to net/http/httptest.
var httptest = importname.Placeholder("net/http/httptest")

// sample is [sample] of typ, with the names the contract gives the
// standard packages.
func (g *gen) sample(typ string) (string, []string) {
	return sample(typ, g.stdName("context"), g.stdName("net/http"), g.stdName("encoding/json"))
}

// sample returns an expression of type typ with which a hook can do its
// work, and the import specs it needs; "" when the zero value is the best
// there is. ctx, http and json are the names the contract gives the
// standard context, net/http and encoding/json, "" where it does not
// import them: a host package of that name has types of its own.
func sample(typ, ctx, http, json string) (string, []string) {
	switch typ {
	case ctx + ".Context":
		return ctx + ".Background()", nil
	case http + ".ResponseWriter":
		return httptest + ".NewRecorder()", []string{importname.Spec("net/http/httptest")}
	case "*" + http + ".Request":
		return httptest + `.NewRequest("GET", "/", nil)`, []string{importname.Spec("net/http/httptest")}
	case "*" + http + ".Response":
		return "&" + http + ".Response{StatusCode: 200, Header: " + http + ".Header{}}", nil
	case json + ".RawMessage":
		return json + `.RawMessage("{}")`, nil
	case "[]byte":
		return `[]byte("{}")`, nil
	case "any", "interface{}":
		return "map[string]any{}", nil
	case "string":
		return `"hello"`, nil
	}
	switch {
	case strings.HasPrefix(typ, "func("):
		return callback(typ, ""), nil
	case strings.HasPrefix(typ, "map["):
		return typ + "{}", nil
	case strings.HasPrefix(typ, "*"):
		return "new(" + typ[1:] + ")", nil
	}
	return "", nil
}

// callback returns a function literal of the func type typ that does
// nothing and returns zero values: a hook may call what it is given, and
// a nil func would panic where the host's never does. With a counter, it
// counts its calls in that variable.
func callback(typ, counter string) string {
	ft, err := manifest.ParseSignature(typ)
	if err != nil {
		return ""
	}
	var values []string
	for _, r := range fieldsOf(ft.Results) {
		t := typeString(r.typ)
		v := zero(t)
		if v == "" {
			v = "*new(" + t + ")"
		}
		values = append(values, v)
	}
	count := ""
	if counter != "" {
		count = counter + "++\n"
	}
	if len(values) == 0 {
		return typ + " {" + strings.TrimSuffix("\n"+count, "\n") + "}"
	}
	return typ + " {\n" + count + "return " + strings.Join(values, ", ") + "\n}"
}
