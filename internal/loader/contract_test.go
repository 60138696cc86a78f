package loader

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestHandlerTypeGiven: with no loader to read, a handlers contract's type
// is the one the base file writes, type-checked with its packages
// resolved among the base file's imports, the SDK's, and the packages the
// host links; a name two linked packages share must be said with
// contract.imports, and a problem names its field.
func TestHandlerTypeGiven(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"go.mod": "module example.com/h\n\ngo 1.22\n",
		"api/api.go": `package api

// Request is the host's own.
type Request struct{}
`,
		"transport/http/http.go": "package http\n\ntype Client struct{}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	host := Host{
		Module: "example.com/h",
		Build:  Build{GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, CGO: true},
		Linked: []string{"net/http", "net/http/internal", "example.com/h/api", "example.com/h/transport/http", "html/template", "text/template"},
	}
	for _, tt := range []struct {
		typ     string
		imports []manifest.Import
		want    string // the type written, or the error
		err     bool
	}{
		{typ: "func(*api.Request) error", want: "func(*api.Request) error"},
		{typ: "func(w http.ResponseWriter, r *http.Request)", imports: []manifest.Import{{Path: "net/http"}}, want: "func(w http.ResponseWriter, r *http.Request)"},
		{typ: "func(w http.ResponseWriter, r *http.Request)", err: true,
			want: `contract.handler.type: handlers: "func(w http.ResponseWriter, r *http.Request)": package name http is ambiguous: the host links example.com/h/transport/http, net/http: say which in contract.imports in the base file`},
		{typ: "func(template.HTML)", err: true, want: "package name template is ambiguous: the host links html/template, text/template"},
		{typ: "func(sdk.Context)", err: true, want: "no package named sdk is linked into the host: add its import path to contract.imports in the base file"},
		{typ: "func(*http.Client)", imports: []manifest.Import{{Path: "example.com/h/transport/http"}}, want: "func(*http.Client)"},
		{typ: "func(*http.Cient)", imports: []manifest.Import{{Path: "example.com/h/transport/http"}}, err: true, want: "undefined: http.Cient"},
	} {
		base := manifest.Contract{Kind: manifest.KindHandlers, Package: "example.com/h/api", Imports: tt.imports, Handler: &manifest.Handler{Type: tt.typ}}
		res, err := Contract(context.Background(), Options{Host: host, Source: dir, SDKModule: "example.com/h", Base: base, Env: append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")})
		if tt.err {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want an error with %q", tt.typ, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.typ, err)
			continue
		}
		if got := res.Contract.Handler.Type; got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.typ, got, tt.want)
		}
	}
}

// TestTypesNeedLoader: what a symbol set's functions return is read with
// the loader that looks them up; with none to read, a type the base file
// names under contract.types is a problem of the base file, not taken as
// it says.
func TestTypesNeedLoader(t *testing.T) {
	src := `package sdk

// Info describes a plugin.
type Info struct{ Name string }

// Symbols.
//
//scaffold:symbols
type (
	// NewFunc says what the plugin is.
	NewFunc = func() *Info
)
`
	dir := writeModule(t, "example.com/h", map[string]string{"sdk/sdk.go": src})
	host := Host{
		Module: "example.com/h",
		Build:  Build{GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, CGO: true},
		Linked: []string{"example.com/h/sdk"},
	}
	base := manifest.Contract{Kind: manifest.KindSymbols, Package: "example.com/h/sdk"}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	if _, err := Contract(context.Background(), Options{Host: host, Source: dir, SDKModule: "example.com/h", Base: base, Env: env}); err != nil {
		t.Fatalf("without contract.types: %v", err)
	}
	base.Types = []manifest.NamedType{{Name: "sdk.Info"}}
	_, err := Contract(context.Background(), Options{Host: host, Source: dir, SDKModule: "example.com/h", Base: base, Env: env})
	want := "base file: contract.types[0]: sdk.Info: what the looked-up functions return is read where the host's loader is read, and no loader was read"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want an error with %q", err, want)
	}
}
