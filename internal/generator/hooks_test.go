package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// fakeSDK is an SDK package with the kinds of types contracts use: structs,
// a named basic type, an interface, a func type, declared func types.
const fakeSDK = `package sdk

import (
	"context"
	"encoding/json"
	"net/http"
)

type Request struct{ Header map[string]string }
type Response struct{ Status int }
type Level int
type Config struct{ Name string }
type Logger interface{ Log(string) }
type Handler func(*Request) error
type Context struct{ ID string }
type ShortCircuit struct{ Status int }
type InitFunc = func(config any) error
type PreHookFunc func(ctx *Context, req *Request) (*Request, *ShortCircuit, error)
type Middleware = func(http.ResponseWriter, *http.Request)
type RawMessage struct{ Data []byte }
type Info struct{ Name, ModulePath, Note string }
type Instance interface {
	Enable() error
	Serve(w http.ResponseWriter, r *http.Request)
}

var _ context.Context
var _ json.RawMessage
`

// methods has every shape of signature the generator must handle.
var methods = []manifest.Method{
	{Name: "Name", Signature: "func() string"},
	{Name: "OnRequest", Signature: "func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)"},
	{Name: "Unnamed", Signature: "func(context.Context, *sdk.Request, *sdk.Response) (*sdk.Response, error)"},
	{Name: "Level", Signature: "func(ctx context.Context) (sdk.Level, bool, error)"},
	{Name: "Configure", Signature: "func(cfg sdk.Config, log sdk.Logger) error"},
	{Name: "Variadic", Signature: "func(ctx context.Context, names ...string) []string"},
	{Name: "NamedResults", Signature: "func(in []byte) (out []byte, err error)"},
	{Name: "Serve", Signature: "func(w http.ResponseWriter, r *http.Request)"},
	{Name: "Handle", Signature: "func(h sdk.Handler, m map[string]any, ch chan<- int) (sdk.Handler, int64)"},
	{Name: "Shadow", Signature: "func(p string, sdk2 int, string2 bool) string"},
	{Name: "Close", Signature: "func() error"},
	{Name: "Done", Signature: "func(ctx context.Context)"},
}

var allImports = []manifest.Import{{Path: "context"}, {Path: "encoding/json"}, {Path: "example.com/gateway/sdk"}, {Path: "net/http"}}

// TestHookCodeCompiles generates the code of every contract kind, with
// every shape of signature, and compiles, vets and tests it against a fake
// SDK: the generated code is valid Go that satisfies the contract exactly,
// whatever the signatures, and so is the load harness.
func TestHookCodeCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and go test")
	}
	ctor := manifest.Contract{
		Kind: manifest.KindConstructor, Package: "example.com/gateway/sdk", Interface: "Plugin",
		Constructor: &manifest.Func{Name: "New", Signature: "func(config json.RawMessage) (sdk.Plugin, error)"},
		Imports:     allImports, Methods: methods,
	}
	for _, tt := range []struct {
		name     string
		contract manifest.Contract
		optional []string
		handlers []string
		plugin   string // the plugin's name, when not hello-world
		// sdkMethods are the fake SDK's interface methods, when the
		// contract names its package other than sdk.
		sdkMethods []manifest.Method
	}{
		// Plugin names whose type would clash with a package or a
		// helper of the generated files.
		{name: "named testing", contract: ctor, plugin: "testing"},
		{name: "named errors", contract: ctor, plugin: "errors"},
		{name: "named new-plugin", contract: ctor, plugin: "new-plugin"},
		{name: "named sdk", contract: ctor, plugin: "sdk"},
		{name: "interface-variable", contract: manifest.Contract{
			Kind: manifest.KindInterfaceVariable, Package: "example.com/gateway/sdk", Interface: "Plugin", Symbol: "Plugin",
			Imports: allImports, Methods: methods,
		}},
		{name: "constructor", contract: manifest.Contract{
			Kind: manifest.KindConstructor, Package: "example.com/gateway/sdk", Interface: "Plugin",
			Constructor: &manifest.Func{Name: "New", Signature: "func(config json.RawMessage) (sdk.Plugin, error)"},
			Imports:     allImports, Methods: methods,
		}},
		{name: "constructor-plain", contract: manifest.Contract{
			Kind: manifest.KindConstructor, Package: "example.com/gateway/sdk", Interface: "Plugin",
			Constructor: &manifest.Func{Name: "NewPlugin", Signature: "func() sdk.Plugin"},
			Imports:     allImports, Methods: methods[:3],
		}},
		{name: "symbols", optional: []string{"PreHook", "Serve"}, contract: manifest.Contract{
			Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk", Imports: allImports,
			Symbols: []manifest.Symbol{
				{Name: "Init", Type: "func(config any) error", Required: true, SDKType: "sdk.InitFunc"},
				{Name: "GetName", Type: "func() string", Required: true, Example: "return pluginName"},
				{Name: "Cleanup", Type: "func() error", Required: true},
				{Name: "PreHook", Type: "func(ctx *sdk.Context, req *sdk.Request) (*sdk.Request, *sdk.ShortCircuit, error)", SDKType: "sdk.PreHookFunc"},
				{Name: "PostHook", Type: "func(ctx *sdk.Context, resp *sdk.Response) (*sdk.Response, error)"},
				{Name: "Serve", Type: "func(http.ResponseWriter, *http.Request)"},
				{Name: "Version", Type: "string", Required: true},
				{Name: "Settings", Type: "map[string]string"},
			},
		}},
		{name: "handlers", handlers: []string{"AddHeader", "Auth"}, contract: manifest.Contract{
			Kind: manifest.KindHandlers, Imports: allImports,
			Handler: &manifest.Handler{Type: "func(http.ResponseWriter, *http.Request)", SDKType: "sdk.Middleware", Example: `w.Header().Set("X-Hello", pluginName)`},
		}},
		// Handlers share their example: its declarations are the file's
		// once.
		{name: "handlers-fragment", handlers: []string{"AddHeader", "Auth"}, contract: manifest.Contract{
			Kind: manifest.KindHandlers, Imports: allImports,
			Handler: &manifest.Handler{Type: "func(http.ResponseWriter, *http.Request)", Example: "func greeting() string { return \"hello from \" + pluginName }\n\nw.Header().Set(\"X-Hello\", greeting())"},
		}},
		{name: "implementer", contract: manifest.Contract{
			Kind: manifest.KindImplementer, Package: "example.com/gateway/sdk", Interface: "Plugin", Symbol: "HandlerRegisterer",
			Imports: allImports, Methods: methods,
		}},
		// Methods that name only standard types: the plugin proves its
		// type against a copy of the interface, and the callback it is
		// given in tests and harness is one it can call.
		{name: "implementer-structural", contract: manifest.Contract{
			Kind: manifest.KindImplementer, Package: "example.com/gateway/sdk", Interface: "Plugin", Symbol: "HandlerRegisterer",
			Imports: []manifest.Import{{Path: "context"}, {Path: "net/http"}},
			Methods: []manifest.Method{{
				Name:      "RegisterHandlers",
				Signature: "func(func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)))",
				Example:   "fn(pluginName, nil)",
			}, {
				Name:      "Convert",
				Signature: "func(f func(int) (*http.Request, error)) error",
				Example:   "if _, err := f(1); err != nil {\nreturn err\n}",
			}},
		}},
		// A host package named plugin, as loader packages often are:
		// the load harness imports it beside the standard one.
		{name: "symbols-package-named-plugin", optional: []string{"PreHook"}, contract: manifest.Contract{
			Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk",
			Imports: []manifest.Import{{Path: "example.com/gateway/sdk", Name: "plugin"}},
			Symbols: []manifest.Symbol{
				{Name: "GetName", Type: "func() string", Required: true},
				{Name: "PreHook", Type: "func(ctx *plugin.Context, req *plugin.Request) (*plugin.Request, *plugin.ShortCircuit, error)", SDKType: "plugin.PreHookFunc"},
			},
		}},
		// Host packages named as the harness's own imports are: the
		// harness's fmt and os give way, the host's keep their names.
		{name: "symbols-package-named-fmt", optional: []string{"PreHook"}, contract: manifest.Contract{
			Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk",
			Imports: []manifest.Import{{Path: "example.com/gateway/sdk", Name: "fmt"}},
			Symbols: []manifest.Symbol{
				{Name: "GetName", Type: "func() string", Required: true},
				{Name: "Level", Type: "fmt.Level", Required: true},
				{Name: "PreHook", Type: "func(ctx *fmt.Context, req *fmt.Request) (*fmt.Request, *fmt.ShortCircuit, error)", SDKType: "fmt.PreHookFunc"},
			},
		}},
		{name: "implementer-package-named-os", contract: manifest.Contract{
			Kind: manifest.KindImplementer, Package: "example.com/gateway/sdk", Interface: "Plugin", Symbol: "HandlerRegisterer",
			Imports: []manifest.Import{{Path: "context"}, {Path: "example.com/gateway/sdk", Name: "os"}},
			Methods: []manifest.Method{{Name: "Configure", Signature: "func(ctx context.Context, cfg os.Config) (*os.Response, error)"}},
		}, sdkMethods: []manifest.Method{{Name: "Configure", Signature: "func(ctx context.Context, cfg sdk.Config) (*sdk.Response, error)"}}},
		// Functions returning an interface and a struct the contract
		// describes: the plugin implements the one and fills the other.
		{name: "symbols-returning-types", contract: manifest.Contract{
			Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk", Imports: allImports,
			Symbols: []manifest.Symbol{
				{Name: "Info", Type: "func() sdk.Info", Required: true},
				{Name: "New", Type: "func(ctx context.Context, name string) (sdk.Instance, error)", Required: true},
				{Name: "Lookup", Type: "func() *sdk.Info", Required: true},
				// nil is an answer of its own: not held to be an instance.
				{Name: "Check", Type: "func(v int) *sdk.Info", Required: true, Example: "if v > 0 {\n\treturn &sdk.Info{Note: \"positive\"}\n}\nreturn nil"},
			},
			Types: instanceTypes,
		}},
		// Examples that are small Go files: declarations, then the body.
		{name: "symbols-fragments", contract: manifest.Contract{
			Kind: manifest.KindSymbols, Package: "example.com/gateway/sdk", Imports: allImports,
			Symbols: []manifest.Symbol{
				{Name: "Info", Type: "func() sdk.Info", Required: true, Example: "const site = `example`\n\n// describe says what the plugin is.\nfunc describe() string {\n\treturn pluginName + \" at \" + site\n}\n\nreturn sdk.Info{Name: pluginName, Note: describe()}"},
				{Name: "New", Type: "func() sdk.Instance", Required: true, Example: "// greeter greets.\ntype greeter struct{ greeting string }\n\nfunc (g *greeter) Enable() error { return nil }\n\nfunc (g *greeter) Serve(w http.ResponseWriter, r *http.Request) {\n\tw.Header().Set(\"X-Hello\", g.greeting)\n}\n\nreturn &greeter{greeting: \"hello from \" + pluginName}"},
			},
			Types: instanceTypes,
		}},
		{name: "response-handlers", handlers: []string{"Rewrite"}, contract: manifest.Contract{
			Kind: manifest.KindHandlers, Imports: allImports,
			Handler: &manifest.Handler{Type: "func(http.ResponseWriter, *http.Response, *http.Request)"},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := helloWorld(t)
			o.Manifest.Contract = tt.contract
			o.Optional, o.Handlers = tt.optional, tt.handlers
			if tt.plugin != "" {
				o.Name = tt.plugin
			}
			if err := o.Manifest.Validate(); err != nil {
				t.Fatal(err)
			}
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			sdkMethods := tt.contract.Methods
			if tt.sdkMethods != nil {
				sdkMethods = tt.sdkMethods
			}
			compileAgainstFakeSDK(t, tree, sdkMethods)
		})
	}
}

// instanceTypes describe the fake SDK's Info and Instance.
var instanceTypes = []manifest.NamedType{
	{Name: "sdk.Info", StringFields: []manifest.Field{{Name: "Name", Doc: "Name names it."}, {Name: "ModulePath"}, {Name: "Note"}}},
	{Name: "sdk.Instance", Methods: []manifest.Method{
		{Name: "Enable", Signature: "func() error"},
		{Name: "Serve", Signature: "func(w http.ResponseWriter, r *http.Request)", Example: `w.Header().Set("X-Hello", pluginName)`},
	}},
}

// compileAgainstFakeSDK puts the generated Go files in one module with a
// fake SDK declaring Plugin with the given methods, so nothing is fetched,
// and runs go vet and go test there.
func compileAgainstFakeSDK(t *testing.T, tree map[string][]byte, methods []manifest.Method) {
	t.Helper()
	dir := fakeSDKModule(t, tree, methods)
	for _, args := range [][]string{{"vet", "./..."}, {"test", "./p"}} {
		if out, err := goIn(dir, args...); err != nil {
			t.Errorf("go %s: %v\n%s\nplugin.go:\n%s\nplugin_test.go:\n%s\n_loadtest/main.go:\n%s", strings.Join(args, " "), err, out, tree["plugin.go"], tree["plugin_test.go"], tree["_loadtest/main.go"])
		}
	}
}

// goIn runs the go command in dir, on the fake SDK's module.
func goIn(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	return cmd.CombinedOutput()
}

// fakeSDKModule writes the generated Go files and a fake SDK declaring
// Plugin with the given methods into one module, so nothing is fetched,
// and returns its directory.
func fakeSDKModule(t *testing.T, tree map[string][]byte, methods []manifest.Method) string {
	t.Helper()
	dir := t.TempDir()
	var iface strings.Builder
	iface.WriteString("\ntype Plugin interface {\n")
	for _, m := range methods {
		iface.WriteString("\t" + m.Name + strings.ReplaceAll(strings.TrimPrefix(m.Signature, "func"), "sdk.", "") + "\n")
	}
	iface.WriteString("}\n")
	files := map[string]string{
		"go.mod":     "module example.com/gateway\n\ngo 1.22\n",
		"sdk/sdk.go": fakeSDK + iface.String(),
	}
	for _, name := range []string{"plugin.go", "plugin_test.go", "_loadtest/main.go"} {
		// The harness goes where ./... finds it, so that go vet reads it.
		files["p/"+strings.TrimPrefix(name, "_")] = string(tree[name])
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
