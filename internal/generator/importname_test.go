package generator

import (
	"strconv"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestHookCodeHostPackagesNamedLikeStd generates a plugin whose contract
// names a host package after each standard package the generated files
// import for their own use (the plugin's log, its tests' testing, errors,
// reflect and httptest, the harness's plugin, fmt and os) and compiles,
// vets and tests it: the host's package keeps the name the signatures
// use, the standard one is imported under another.
func TestHookCodeHostPackagesNamedLikeStd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and go test")
	}
	for _, tt := range []struct{ name, std string }{
		{"log", "log"},
		{"errors", "errors"},
		{"reflect", "reflect"},
		{"testing", "testing"},
		{"httptest", "net/http/httptest"},
		{"plugin", "plugin"},
		{"fmt", "fmt"},
		{"os", "os"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := tt.name
			// Serve makes every generated file import the standard
			// package: the tests pass a recorder and a request
			// (httptest), check the request passes through (reflect)
			// and that a cancelled context is honoured (errors).
			contract := manifest.Contract{
				Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk",
				Imports: []manifest.Import{{Path: "context"}, {Path: "example.com/gateway/sdk", Name: n}, {Path: "net/http"}},
				Symbols: []manifest.Symbol{
					{Name: "GetName", Type: "func() string", Required: true},
					{Name: "Serve", Type: "func(ctx context.Context, w http.ResponseWriter, r *http.Request, req *" + n + ".Request) (*" + n + ".Request, error)", Required: true},
				},
			}
			tree := renderContract(t, contract)
			want := "go" + n + " " + strconv.Quote(tt.std)
			host := strconv.Quote("example.com/gateway/sdk")
			found := false
			for _, name := range []string{"plugin.go", "plugin_test.go", "_loadtest/main.go"} {
				src := string(tree[name])
				// The host's package is imported as n; the standard one, its
				// default name n too, must not be imported unnamed beside it.
				if strings.Contains(src, "\t"+n+" "+host+"\n") && strings.Contains(src, "\t"+strconv.Quote(tt.std)+"\n") {
					t.Errorf("%s imports %s and %s, both as %s:\n%s", name, tt.std, host, n, src)
				}
				found = found || strings.Contains(src, "\t"+want+"\n")
			}
			if !found {
				t.Errorf("no generated file imports %s", want)
			}
			compileAgainstFakeSDK(t, tree, nil)
		})
	}
}

// TestHookCodeHostPackageNamedContext: a host package called context, the
// standard one not imported, is not taken for the standard context: its
// Context type gets no cancellation check and no context.Background().
func TestHookCodeHostPackageNamedContext(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and go test")
	}
	tree := renderContract(t, manifest.Contract{
		Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk",
		Imports: []manifest.Import{{Path: "example.com/gateway/sdk", Name: "context"}},
		Symbols: []manifest.Symbol{
			{Name: "GetName", Type: "func() string", Required: true},
			{Name: "Filter", Type: "func(ctx *context.Context, c context.Context) (*context.Request, error)", Required: true},
		},
	})
	if src := string(tree["plugin.go"]); strings.Contains(src, ".Err()") {
		t.Errorf("plugin.go checks a host type for cancellation:\n%s", src)
	}
	compileAgainstFakeSDK(t, tree, nil)
}

// TestHookCodeHostPackageNamedJSON: a host package called json, the
// standard one not imported, is not taken for encoding/json: its
// RawMessage, a struct, is not made from a string.
func TestHookCodeHostPackageNamedJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and go test")
	}
	tree := renderContract(t, manifest.Contract{
		Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk",
		Imports: []manifest.Import{{Path: "example.com/gateway/sdk", Name: "json"}},
		Symbols: []manifest.Symbol{
			{Name: "GetName", Type: "func() string", Required: true},
			{Name: "Init", Type: "func(config json.RawMessage) error", Required: true},
		},
	})
	compileAgainstFakeSDK(t, tree, nil)
}

// renderContract renders the hello-world plugin for contract.
func renderContract(t *testing.T, contract manifest.Contract) map[string][]byte {
	t.Helper()
	o := helloWorld(t)
	o.Manifest.Contract = contract
	if err := o.Manifest.Validate(); err != nil {
		t.Fatal(err)
	}
	tree, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestHookCodeOptionalTypes: the load harness asserts the type of an
// optional symbol the plugin was generated without, so it imports the
// packages that type names even when nothing else does, under the names
// the contract gives them (here a host package named plugin).
func TestHookCodeOptionalTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and go test")
	}
	tree := renderContract(t, manifest.Contract{
		Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk",
		Imports: []manifest.Import{{Path: "example.com/gateway/sdk", Name: "plugin"}},
		Symbols: []manifest.Symbol{
			{Name: "GetName", Type: "func() string", Required: true},
			{Name: "Describe", Type: "func(req *plugin.Request) error"},
		},
	})
	if src := string(tree["_loadtest/main.go"]); !strings.Contains(src, "\tplugin \"example.com/gateway/sdk\"\n") {
		t.Errorf("_loadtest/main.go does not import the host's package as plugin:\n%s", src)
	}
	compileAgainstFakeSDK(t, tree, nil)
}

// TestHookCodeHostPackageNamedLikeDeclared: a host package called version,
// as the plugin's variable the Makefile stamps is, or lookup, as a
// function of the load harness is, takes another name in the generated
// files; an example's selectors of the package follow it, and its bare
// version still means the variable.
func TestHookCodeHostPackageNamedLikeDeclared(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and go test")
	}
	for _, n := range []string{"version", "lookup", "newPlugin"} {
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			tree := renderContract(t, manifest.Contract{
				Kind: manifest.KindConstructor, Package: "example.com/gateway/sdk", Interface: "Plugin",
				Constructor: &manifest.Func{Name: "New", Signature: "func() " + n + ".Plugin"},
				Imports:     []manifest.Import{{Path: "example.com/gateway/sdk", Name: n}},
				Methods: []manifest.Method{{
					Name: "Filter", Signature: "func(req *" + n + ".Request) (*" + n + ".Request, error)",
					Example: "if version == \"\" {\nreturn &" + n + ".Request{}, nil\n}",
				}},
			})
			if src := string(tree["plugin.go"]); !strings.Contains(src, "\tgatewaysdk \"example.com/gateway/sdk\"\n") {
				t.Errorf("plugin.go does not import the host's package as gatewaysdk:\n%s", src)
			}
			compileAgainstFakeSDK(t, tree, []manifest.Method{{Name: "Filter", Signature: "func(req *sdk.Request) (*sdk.Request, error)"}})
		})
	}
}
