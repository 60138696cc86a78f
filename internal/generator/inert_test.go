package generator

import (
	"regexp"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestGeneratedTestsFail runs the generated tests of each shape of hook on
// a plugin whose hooks do nothing: the plugin file generated without the
// contract's examples, or with an instance or a filled struct taken out.
// Each test must fail, saying what the hook no longer does; and pass on
// the plugin as generated (TestHookCodeCompiles).
func TestGeneratedTestsFail(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	symbols := func(syms ...manifest.Symbol) manifest.Contract {
		return manifest.Contract{Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk", Imports: allImports, Symbols: syms, Types: instanceTypes}
	}
	for _, tt := range []struct {
		name     string
		contract manifest.Contract
		handlers []string
		// edit makes the inert plugin from the generated one; nil
		// generates it without the examples.
		edit func(t *testing.T, src string) string
		want string
	}{{
		name: "a request changed and passed on",
		contract: manifest.Contract{Kind: manifest.KindInterfaceVariable, Package: "example.com/gateway/sdk", Interface: "Plugin", Symbol: "Plugin", Imports: allImports,
			Methods: []manifest.Method{{Name: "OnRequest", Signature: "func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)", Example: `req.Header = map[string]string{"X-Hello": pluginName}`}}},
		want: "OnRequest returned req as it came: the hook changes it",
	}, {
		name: "a header set on the response",
		contract: manifest.Contract{Kind: manifest.KindHandlers, Imports: allImports,
			Handler: &manifest.Handler{Type: "func(http.ResponseWriter, *http.Request)", Example: `w.Header().Set("X-Hello", pluginName)`}},
		handlers: []string{"Hello"},
		want:     "Hello wrote nothing to w: the hook writes a header or a response",
	}, {
		name: "a callback called",
		contract: manifest.Contract{Kind: manifest.KindImplementer, Package: "example.com/gateway/sdk", Interface: "Plugin", Symbol: "HandlerRegisterer",
			Imports: []manifest.Import{{Path: "context"}, {Path: "net/http"}},
			Methods: []manifest.Method{{Name: "RegisterHandlers", Signature: "func(fn func(name string, h http.Handler))", Example: "fn(pluginName, nil)"}}},
		want: "RegisterHandlers never called fn",
	}, {
		name: "a string chosen",
		contract: symbols(manifest.Symbol{Name: "GetName", Type: "func() string", Required: true, Example: "return pluginName"},
			manifest.Symbol{Name: "Transform", Type: "func(ctx context.Context, in string) (string, error)", Required: true, Example: `return in + " from " + pluginName, nil`}),
		edit: func(t *testing.T, src string) string {
			src = replaceOnce(t, src, "return pluginName", `return ""`)
			return replaceOnce(t, src, `return in + " from " + pluginName, nil`, "return in, nil")
		},
		want: "GetName returned an empty string",
	}, {
		name:     "the input as it came",
		contract: symbols(manifest.Symbol{Name: "Transform", Type: "func(ctx context.Context, in string) (string, error)", Required: true, Example: `return in + " from " + pluginName, nil`}),
		edit: func(t *testing.T, src string) string {
			return replaceOnce(t, src, `return in + " from " + pluginName, nil`, "return in, nil")
		},
		want: `Transform returned its input "hello" as it came`,
	}, {
		name:     "a result chosen",
		contract: symbols(manifest.Symbol{Name: "Respond", Type: "func(req *sdk.Request) (*sdk.Response, error)", Required: true, Example: "return &sdk.Response{Status: 200}, nil"}),
		edit: func(t *testing.T, src string) string {
			return replaceOnce(t, src, "return &sdk.Response{Status: 200}, nil", "return nil, nil")
		},
		want: "Respond returned a nil *sdk.Response",
	}, {
		name:     "an instance",
		contract: symbols(manifest.Symbol{Name: "New", Type: "func() sdk.Instance", Required: true}),
		edit: func(t *testing.T, src string) string {
			return replaceOnce(t, src, "return &helloWorld{}", "return nil")
		},
		want: "New returned a nil sdk.Instance: the host would have no plugin to call",
	}, {
		name:     "an instance's method",
		contract: symbols(manifest.Symbol{Name: "New", Type: "func() sdk.Instance", Required: true}),
		want:     "Serve wrote nothing to w",
	}, {
		name:     "a struct filled",
		contract: symbols(manifest.Symbol{Name: "Info", Type: "func() sdk.Info", Required: true}),
		edit: func(t *testing.T, src string) string {
			return regexp.MustCompile(`\bName:\s+pluginName,`).ReplaceAllString(src, "")
		},
		want: "Info returned no Name: the host reads it",
	}, {
		name:     "a struct an example fills",
		contract: symbols(manifest.Symbol{Name: "Info", Type: "func() *sdk.Info", Required: true, Example: `return &sdk.Info{Note: "hello from " + pluginName}`}),
		edit: func(t *testing.T, src string) string {
			return replaceOnce(t, src, `return &sdk.Info{Note: "hello from " + pluginName}`, "return &sdk.Info{}")
		},
		want: "Info returned no Note: the host reads it",
	}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := helloWorld(t)
			o.Manifest.Contract, o.Handlers = tt.contract, tt.handlers
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			var inert string
			if tt.edit != nil {
				inert = tt.edit(t, string(tree["plugin.go"]))
			} else {
				bare := o
				m := *o.Manifest
				bare.Manifest = &m
				m.Contract = stripExamples(tt.contract)
				bareTree, err := Render(&bare)
				if err != nil {
					t.Fatal(err)
				}
				inert = string(bareTree["plugin.go"])
			}
			tree["plugin.go"] = []byte(inert)
			dir := fakeSDKModule(t, tree, tt.contract.Methods)
			out, err := goIn(dir, "test", "./p")
			if err == nil {
				t.Fatalf("the generated tests pass on a plugin that does nothing:\n%s\nplugin.go:\n%s\nplugin_test.go:\n%s", out, inert, tree["plugin_test.go"])
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("go test says:\n%s\nwant it to say %q", out, tt.want)
			}
		})
	}
}

// stripExamples returns a copy of k without its examples.
func stripExamples(k manifest.Contract) manifest.Contract {
	k.Methods = append([]manifest.Method(nil), k.Methods...)
	for i := range k.Methods {
		k.Methods[i].Example = ""
	}
	k.Symbols = append([]manifest.Symbol(nil), k.Symbols...)
	for i := range k.Symbols {
		k.Symbols[i].Example = ""
	}
	if k.Handler != nil {
		h := *k.Handler
		h.Example = ""
		k.Handler = &h
	}
	k.Types = append([]manifest.NamedType(nil), k.Types...)
	for i := range k.Types {
		k.Types[i].Methods = append([]manifest.Method(nil), k.Types[i].Methods...)
		for j := range k.Types[i].Methods {
			k.Types[i].Methods[j].Example = ""
		}
	}
	return k
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if strings.Count(s, old) != 1 {
		t.Fatalf("%q occurs %d times, want once:\n%s", old, strings.Count(s, old), s)
	}
	return strings.Replace(s, old, new, 1)
}
