package loader

import (
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeModule writes a module example.com/h with the given files.
func writeModule(t *testing.T, files map[string]string) Config {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/h\n\ngo 1.22\n"
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Config{Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")}
}

const sdkSrc = `package sdk

type Plugin interface{ Name() string }
type Registerer interface{ Register(func(name string)) }
type InitFunc = func(config any) error
type Named func() string
`

// TestRead finds every way a loader asserts a looked-up symbol: inline
// func types, a pointer to a variable, an interface (structurally), a type
// switch, an alias, a name held in a constant, and a name that is not
// constant, through an import renamed in the loader's file.
func TestRead(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	c := writeModule(t, map[string]string{
		"sdk/sdk.go": sdkSrc,
		"host/load.go": `package host

import (
	"plugin"

	api "example.com/h/sdk"
)

const initName = "Init"

func load(p *plugin.Plugin, configured string) error {
	sym, err := p.Lookup("GetName")
	if err != nil {
		return err
	}
	_ = sym.(func() string)
	sym, err = p.Lookup("Plugin")
	if err != nil {
		return err
	}
	if _, ok := sym.(*api.Plugin); !ok {
		return nil
	}
	r, _ := p.Lookup("HandlerRegisterer")
	if reg, ok := r.(api.Registerer); ok {
		reg.Register(func(string) {})
	}
	v, _ := p.Lookup("Filter")
	switch f := v.(type) {
	case func(ctx *api.Plugin, n int) (bool, error):
		_ = f
	}
	var s plugin.Symbol
	s, _ = p.Lookup(initName)
	_, _ = s.(api.InitFunc)
	d, _ := p.Lookup(configured)
	_ = d.(func())
	return nil
}
`,
	})
	found, problem, err := Find(c, []string{"example.com/h/host", "example.com/h/sdk"})
	if err != nil || problem != nil {
		t.Fatal(err, problem)
	}
	if len(found) != 1 || found[0] != "example.com/h/host" {
		t.Fatalf("Find = %v, want the one package that imports plugin", found)
	}
	l, err := Read(c, "example.com/h/host")
	if err != nil {
		t.Fatal(err)
	}
	q := l.Qualifier()
	var got []string
	for _, lk := range l.Lookups {
		got = append(got, lk.Name+" "+lk.Shape.String()+" "+types.TypeString(lk.Type, q))
	}
	want := []string{
		"GetName function func() string",
		"Plugin variable api.Plugin",
		"HandlerRegisterer implementer api.Registerer",
		"Filter function func(ctx *api.Plugin, n int) (bool, error)",
		"Init function api.InitFunc",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lookups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(l.Dynamic) != 1 {
		t.Errorf("got %d lookups of a name that is not constant, want 1", len(l.Dynamic))
	}
	// The base file's types are read in the loader file's scope.
	typ, err := l.Eval(l.Lookups[3].Pos, "func(*api.Plugin, int) (bool, error)")
	if err != nil {
		t.Fatal(err)
	}
	if !types.Identical(typ, l.Lookups[3].Type) {
		t.Errorf("Eval gave %s, want %s", typ, l.Lookups[3].Type)
	}
	if _, err := l.Eval(l.Lookups[3].Pos, "func(*sdk.Plugin)"); err == nil || !strings.Contains(err.Error(), "undefined: sdk") {
		t.Errorf("Eval of a name the file does not import: got %v, want undefined: sdk", err)
	}
}

// TestReadRefuses: assertions no looked-up symbol can satisfy are errors
// that say why.
func TestReadRefuses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, tt := range []struct{ assert, want string }{
		{"sdk.Named", "asserted to the defined type example.com/h/sdk.Named"},
		{"any", "has no methods"},
		{"struct{}", "which a looked-up symbol never is"},
	} {
		c := writeModule(t, map[string]string{
			"sdk/sdk.go": sdkSrc,
			"host/load.go": `package host

import (
	"plugin"

	"example.com/h/sdk"
)

var _ sdk.Plugin

func load(p *plugin.Plugin) {
	sym, _ := p.Lookup("X")
	_ = sym.(` + tt.assert + `)
}
`,
		})
		_, err := Read(c, "example.com/h/host")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("asserted to %s: got %v, want an error with %q", tt.assert, err, tt.want)
		}
	}
}
