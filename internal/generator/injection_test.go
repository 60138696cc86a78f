package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// payloadType is a struct type whose tag, pasted into a string literal
// unquoted, closes the literal and calls println(7777).
const payloadType = `struct{ X int "+ func() string { println(7777); return string(rune(32)) }() +" }`

// TestContractTextStaysInItsPlace renders contracts whose types and
// examples try to become code of their own, and checks that every
// generated Go file calls println nowhere: the payload, if it is kept, is
// inside a struct tag or a string, never code.
func TestContractTextStaysInItsPlace(t *testing.T) {
	relay := func(syms ...manifest.Symbol) manifest.Contract {
		return manifest.Contract{Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk", Imports: allImports,
			Symbols: append([]manifest.Symbol{{Name: "Init", Type: "func(config any) error", Required: true}}, syms...)}
	}
	iface := func(ms ...manifest.Method) manifest.Contract {
		return manifest.Contract{Kind: manifest.KindInterfaceVariable, Package: "example.com/gateway/sdk", Interface: "Plugin",
			Symbol: "Plugin", Imports: allImports, Methods: ms}
	}
	for _, tt := range []struct {
		name     string
		contract manifest.Contract
		handlers []string
	}{
		{"variable of a struct type with a tag", relay(manifest.Symbol{Name: "Meta", Type: payloadType, Required: true}), nil},
		{"func symbol with a struct parameter", relay(manifest.Symbol{Name: "Hook", Type: "func(v " + payloadType + ") error", Required: true}), nil},
		{"func symbol with a struct result", relay(manifest.Symbol{Name: "Hook", Type: "func() " + payloadType, Required: true}), nil},
		{"tag with format verbs", relay(manifest.Symbol{Name: "Hook", Type: `func(v struct{ X int "%v%s%!" }) error`, Required: true}), nil},
		{"type with a line comment", relay(manifest.Symbol{Name: "Hook", Type: "func() error // println(7777)", Required: true}), nil},
		{"type with a block comment", relay(manifest.Symbol{Name: "Hook", Type: "func(/* \" */ a int) error", Required: true}), nil},
		{"method with a struct parameter", iface(manifest.Method{Name: "Name", Signature: "func(v " + payloadType + ") string"}), nil},
		{"handler with a struct parameter", manifest.Contract{Kind: manifest.KindHandlers, Imports: allImports,
			Handler: &manifest.Handler{Type: "func(v " + payloadType + ")"}}, []string{"Serve"}},
		{"example with a comment holding a brace", iface(manifest.Method{Name: "Name", Signature: "func() string",
			Example: "// }\n// func init() { println(7777) }\nreturn pluginName"}), nil},
		{"example with a raw string", iface(manifest.Method{Name: "Name", Signature: "func() string",
			Example: "s := `\n}\nfunc init() { println(7777) }\n`\nreturn s"}), nil},
		{"doc closing the comment", iface(manifest.Method{Name: "Name", Signature: "func() string",
			Doc: "Name names.\n*/ func init() { println(7777) } /*\n}\nfunc init() { println(7777) }"}), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := helloWorld(t)
			o.Manifest.Contract = tt.contract
			o.Handlers = tt.handlers
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"plugin.go", "plugin_test.go", "_loadtest/main.go"} {
				if call := printlnCall(t, name, tree[name]); call != "" {
					t.Errorf("%s calls println: contract text became code:\n%s", name, tree[name])
				}
			}
		})
	}
}

// TestContractTextRefused feeds contracts whose text cannot be what it
// must be; validation and the code generator each refuse it, naming it.
func TestContractTextRefused(t *testing.T) {
	closing := "return pluginName\n}\nfunc init() { println(\"INJECTED-INIT\") }\nfunc _() {"
	iface := func(m manifest.Method) manifest.Contract {
		return manifest.Contract{Kind: manifest.KindInterfaceVariable, Package: "example.com/gateway/sdk", Interface: "Plugin",
			Symbol: "Plugin", Imports: allImports, Methods: []manifest.Method{m}}
	}
	for _, tt := range []struct {
		name     string
		contract manifest.Contract
		handlers []string
		want     string
	}{
		{"method example closing the function", iface(manifest.Method{Name: "Name", Signature: "func() string", Example: closing}),
			nil, "it closes the function body"},
		{"symbol example closing the function", manifest.Contract{Kind: manifest.KindSymbols, Imports: allImports,
			Symbols: []manifest.Symbol{{Name: "GetName", Type: "func() string", Required: true, Example: closing}}},
			nil, "it closes the function body"},
		{"handler example closing the function", manifest.Contract{Kind: manifest.KindHandlers, Imports: allImports,
			Handler: &manifest.Handler{Type: "func(http.ResponseWriter, *http.Request)", Example: "}\nfunc init() { println(7777) }\nfunc _() {"}},
			[]string{"Serve"}, "it closes the function body"},
		{"example closing with a comment after", iface(manifest.Method{Name: "Name", Signature: "func() string",
			Example: "return pluginName\n}\n// a comment\nvar _ = 1\nfunc _() {"}), nil, "it closes the function body"},
		{"NUL in a doc", iface(manifest.Method{Name: "Name", Signature: "func() string", Doc: "Name\x00names."}), nil, "control character U+0000"},
		{"escape in a doc", iface(manifest.Method{Name: "Name", Signature: "func() string", Doc: "Name\x1b]0;owned\x07"}), nil, "control character U+001B"},
		{"bidi control in a doc", iface(manifest.Method{Name: "Name", Signature: "func() string", Doc: "Name \u202e names"}), nil, "bidirectional control U+202E"},
		{"bidi control in an example", iface(manifest.Method{Name: "Name", Signature: "func() string", Example: "s := \"\u2066\"\n_ = s"}), nil, "bidirectional control U+2066"},
		{"byte order mark in a doc", iface(manifest.Method{Name: "Name", Signature: "func() string", Doc: "a\ufeffb"}), nil, "byte order mark"},
		{"invalid UTF-8 in a doc", iface(manifest.Method{Name: "Name", Signature: "func() string", Doc: "a\xffb"}), nil, "not valid UTF-8"},
		{"mixed scripts in a method name", iface(manifest.Method{Name: "N\u0430me", Signature: "func() string"}), nil, "mixes the scripts"},
		{"mixed scripts in a parameter", iface(manifest.Method{Name: "Name", Signature: "func(\u0440ath string) string"}), nil, "mixes the scripts"},
		{"mixed scripts in a struct field", iface(manifest.Method{Name: "Name", Signature: "func(v struct{ Xа int }) string"}), nil, "mixes the scripts"},
		{"mixed scripts in an example", iface(manifest.Method{Name: "Name", Signature: "func() string", Example: "nаme := pluginName\nreturn nаme"}), nil, "mixes the scripts"},
		{"mixed scripts in a handler name", manifest.Contract{Kind: manifest.KindHandlers, Imports: allImports,
			Handler: &manifest.Handler{Type: "func(http.ResponseWriter, *http.Request)"}}, []string{"Sеrve"}, "mixes the scripts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := tt.contract
			o := helloWorld(t)
			o.Manifest.Contract = k
			o.Handlers = tt.handlers
			if _, err := Render(&o); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Render: got %v, want an error saying %q", err, tt.want)
			} else if strings.Contains(err.Error(), "\n}\n") || strings.Contains(err.Error(), "\x00") || strings.Contains(err.Error(), "\x1b") {
				t.Errorf("Render's error holds raw text: %q", err)
			}
			// Code generation refuses it too, whoever calls it.
			if _, err := newData(&o); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("newData: got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// printlnCall returns the position of a call of println in src, if any.
func printlnCall(t *testing.T, name string, src []byte) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	var at string
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == "println" && at == "" {
			at = fset.Position(id.Pos()).String()
		}
		return true
	})
	return at
}

// TestContractTextSize refuses a doc too large to be one: it would be
// written into several files.
func TestContractTextSize(t *testing.T) {
	o := helloWorld(t)
	o.Manifest.Contract.Methods[0].Doc = strings.Repeat("word ", 20000)
	if _, err := Render(&o); err == nil || !strings.Contains(err.Error(), "100000 bytes, more than the 64 KiB a contract's text may be") {
		t.Errorf("Render of a 100 kB doc: got %v, want a size error", err)
	} else if len(err.Error()) > 1000 {
		t.Errorf("the error holds the whole doc: %d bytes", len(err.Error()))
	}
}

// TestValidGoproxyRenders renders a GOPROXY list that falls back on any
// error ("|"): what validation accepts, the templates write.
func TestValidGoproxyRenders(t *testing.T) {
	o := helloWorld(t)
	o.Manifest.Proxy.GOPROXY = "https://a.example.com|https://b.example.com,direct"
	if err := o.Manifest.Validate(); err != nil {
		t.Fatal(err)
	}
	tree, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	if want := "export GOPROXY      := https://a.example.com|https://b.example.com,direct\n"; !strings.Contains(string(tree["Makefile"]), want) {
		t.Errorf("Makefile does not hold %q", want)
	}
}

// TestFormatGoErrorShowsNoSource: broken generated source is reported by
// its first error, never printed.
func TestFormatGoErrorShowsNoSource(t *testing.T) {
	src := "package main\n\nfunc main() {\n\tsecret := \"hunter2\"\n" + strings.Repeat("\tx :=\n", 50)
	_, err := FormatGo("plugin.go", []byte(src))
	if err == nil {
		t.Fatal("FormatGo accepted broken source")
	}
	if msg := err.Error(); strings.Contains(msg, "hunter2") || strings.Count(msg, "\n") > 0 || !strings.Contains(msg, "plugin.go:6:4:") {
		t.Errorf("error %q: want one line naming the first error, without the source", msg)
	}
}

// TestCheckName refuses the names Windows reserves for devices exactly
// where golang.org/x/mod's module.CheckFilePath does: com1 but not com0.
func TestCheckName(t *testing.T) {
	var names []string
	for _, dev := range []string{"con", "prn", "aux", "nul", "com", "lpt"} {
		names = append(names, dev, dev+"x", dev+"-x", dev+"_x", dev+"10")
		for d := range 10 {
			names = append(names, dev+strconv.Itoa(d))
		}
	}
	names = append(names, "console", "auxiliary", "null", "x-com1")
	refused := 0
	for _, name := range names {
		err := CheckName(name)
		if module.CheckFilePath(name) == nil && module.CheckFilePath(name+".so") == nil {
			if err != nil {
				t.Errorf("CheckName(%q) = %v, want nil, as golang.org/x/mod accepts it", name, err)
			}
			continue
		}
		refused++
		if err == nil || !strings.Contains(err.Error(), "Windows reserves it") {
			t.Errorf("CheckName(%q) = %v, want a reserved-name error, as golang.org/x/mod refuses it", name, err)
		}
	}
	// con, prn, aux, nul, com1-9, lpt1-9
	if refused != 22 {
		t.Errorf("golang.org/x/mod refuses %d of the names, want 22", refused)
	}
	for _, name := range []string{"com0", "lpt0"} {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v, want nil", name, err)
		}
	}
}
