package loader

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// writeModule writes a module holding one package from files.
func writeModule(t *testing.T, modPath string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module " + modPath + "\n\ngo 1.22\n"
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const sdkSource = `package api

import (
	"context"
	stdhttp "net/http"
)

// A Request is a request.
type Request struct{}

// Base has the methods every plugin shares.
type Base interface {
	// Name names the plugin.
	Name() string
}

// Plugin is what plugins implement.
type Plugin interface {
	Base
	// Serve handles a request.
	Serve(ctx context.Context, w stdhttp.ResponseWriter, r *Request) error
}

// NewFunc builds a plugin.
type NewFunc = func(config []byte) (Plugin, error)

// Init is the host's default initialiser: plugins export one like it.
func Init(config map[string]string) error { return nil }

// Handler is the type of every handler.
type Handler func(stdhttp.ResponseWriter, *stdhttp.Request)
`

func TestFillKinds(t *testing.T) {
	dir := writeModule(t, "example.com/sdk", map[string]string{"api/api.go": sdkSource})
	pkg, err := LoadSDK(dir, "example.com/sdk", "example.com/sdk/api", nil)
	if err != nil {
		t.Fatal(err)
	}
	imports := []manifest.Import{{Path: "context"}, {Path: "example.com/sdk/api"}, {Path: "net/http", Name: "stdhttp"}}
	for _, tt := range []struct {
		name string
		in   manifest.Contract
		want manifest.Contract
	}{
		{"interface embedding another", manifest.Contract{
			Kind: manifest.KindInterfaceVariable, Package: "example.com/sdk/api", Interface: "Plugin", Symbol: "Plugin",
			Methods: []manifest.Method{{Name: "Serve", Example: "return nil"}},
		}, manifest.Contract{
			Kind: manifest.KindInterfaceVariable, Package: "example.com/sdk/api", Interface: "Plugin", Symbol: "Plugin", Imports: imports,
			Methods: []manifest.Method{
				{Name: "Name", Signature: "func() string", Doc: "Name names the plugin."},
				{Name: "Serve", Signature: "func(ctx context.Context, w stdhttp.ResponseWriter, r *api.Request) error", Doc: "Serve handles a request.", Example: "return nil"},
			},
		}},
		{"constructor from its type", manifest.Contract{
			Kind: manifest.KindConstructor, Package: "example.com/sdk/api", Interface: "Base", Constructor: &manifest.Func{Name: "New"},
		}, manifest.Contract{
			Kind: manifest.KindConstructor, Package: "example.com/sdk/api", Interface: "Base",
			Constructor: &manifest.Func{Name: "New", Signature: "func(config []byte) (api.Plugin, error)"},
			Imports:     []manifest.Import{{Path: "example.com/sdk/api"}},
			Methods:     []manifest.Method{{Name: "Name", Signature: "func() string", Doc: "Name names the plugin."}},
		}},
		{"symbols named in the base file", manifest.Contract{
			Kind: manifest.KindSymbols, Package: "example.com/sdk/api",
			Symbols: []manifest.Symbol{{Name: "Init", Required: true}, {Name: "New", Example: "return nil, nil"}},
		}, manifest.Contract{
			Kind: manifest.KindSymbols, Package: "example.com/sdk/api", Imports: []manifest.Import{{Path: "example.com/sdk/api"}},
			Symbols: []manifest.Symbol{
				{Name: "Init", Type: "func(config map[string]string) error", Required: true, Doc: "Init is the host's default initialiser: plugins export one like it."},
				{Name: "New", Type: "func(config []byte) (api.Plugin, error)", SDKType: "api.NewFunc", Doc: "New builds a plugin.", Example: "return nil, nil"},
			},
		}},
		{"handlers", manifest.Contract{
			Kind: manifest.KindHandlers, Package: "example.com/sdk/api", Handler: &manifest.Handler{SDKType: "api.Handler"},
		}, manifest.Contract{
			Kind: manifest.KindHandlers, Package: "example.com/sdk/api",
			Imports: []manifest.Import{{Path: "example.com/sdk/api"}, {Path: "net/http", Name: "stdhttp"}},
			Handler: &manifest.Handler{Type: "func(stdhttp.ResponseWriter, *stdhttp.Request)", SDKType: "api.Handler", Doc: "Handler is the type of every handler."},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.in
			if err := pkg.Fill(&k); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(k, tt.want) {
				t.Errorf("Fill:\ngot  %+v\nwant %+v", k, tt.want)
			}
		})
	}
}

// TestMarkedSymbols reads a symbol set from a //scaffold:symbols block,
// keeping the examples a base file gives by name.
func TestMarkedSymbols(t *testing.T) {
	src := `package sdk

// Symbols.
//
//scaffold:symbols
type (
	// InitFunc starts the plugin.
	InitFunc = func(config any) error
	// HookFunc runs on every request.
	//
	//scaffold:optional
	HookFunc func(n int) (int, error)
)
`
	dir := writeModule(t, "example.com/sdk", map[string]string{"sdk.go": src})
	pkg, err := LoadSDK(dir, "example.com/sdk", "example.com/sdk", nil)
	if err != nil {
		t.Fatal(err)
	}
	k := manifest.Contract{Kind: manifest.KindSymbols, Symbols: []manifest.Symbol{{Name: "Hook", Example: "return n, nil"}}}
	if err := pkg.Fill(&k); err != nil {
		t.Fatal(err)
	}
	want := []manifest.Symbol{
		{Name: "Init", Type: "func(config any) error", Required: true, SDKType: "sdk.InitFunc", Doc: "Init starts the plugin."},
		{Name: "Hook", Type: "func(n int) (int, error)", Required: false, SDKType: "sdk.HookFunc", Doc: "Hook runs on every request.", Example: "return n, nil"},
	}
	if !reflect.DeepEqual(k.Symbols, want) {
		t.Errorf("symbols:\ngot  %+v\nwant %+v", k.Symbols, want)
	}
}

func TestFillErrors(t *testing.T) {
	dir := writeModule(t, "example.com/sdk", map[string]string{"api/api.go": sdkSource})
	pkg, err := LoadSDK(dir, "example.com/sdk", "example.com/sdk/api", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		k    manifest.Contract
		want string
	}{
		{manifest.Contract{Kind: manifest.KindInterfaceVariable, Interface: "Missing"}, "package example.com/sdk/api declares no type Missing"},
		{manifest.Contract{Kind: manifest.KindInterfaceVariable, Interface: "Request"}, "api.Request is not an interface type"},
		{manifest.Contract{Kind: manifest.KindInterfaceVariable, Interface: "Plugin", Methods: []manifest.Method{{Name: "Close"}}}, "api.Plugin has no method Close"},
		{manifest.Contract{Kind: manifest.KindSymbols, Symbols: []manifest.Symbol{{Name: "Cleanup"}}}, "declares no type CleanupFunc or Cleanup, nor a function Cleanup"},
		{manifest.Contract{Kind: manifest.KindSymbols}, "has no //scaffold:symbols type block"},
		{manifest.Contract{Kind: manifest.KindHandlers, Handler: &manifest.Handler{}}, "contract.handler: required in the base file"},
	} {
		k := tt.k
		if err := pkg.Fill(&k); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Fill(%+v) = %v, want an error with %q", tt.k, err, tt.want)
		}
	}
}
