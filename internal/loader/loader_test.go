package loader

import (
	"context"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	gorootOnce sync.Once
	goroot     string
	gorootErr  error
)

// testSource writes a module example.com/h with the given files and
// returns a Source reading it as the host's own module.
func testSource(t *testing.T, files map[string]string) *Source {
	t.Helper()
	gorootOnce.Do(func() {
		var vals []string
		vals, gorootErr = GoEnv(context.Background(), os.Environ(), "GOROOT")
		if gorootErr == nil {
			goroot = vals[0]
		}
	})
	if gorootErr != nil {
		t.Fatal(gorootErr)
	}
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
	b := Build{GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, CGO: true}
	return NewSource(context.Background(), goroot, b, NewModules(t.TempDir(), os.Environ(), nil), Module{Path: "example.com/h", Dir: dir})
}

// read checks the package at path whole and reads its lookups.
func read(t *testing.T, s *Source, path string) *Loader {
	t.Helper()
	p, err := s.Check(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	l, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// describe lists a loader's lookups one a line: name, shape, type, need.
func describe(l *Loader) string {
	q := l.Qualifier()
	var got []string
	for _, lk := range l.Lookups {
		name := lk.Name
		if lk.Dynamic {
			name = "(dynamic)"
		}
		got = append(got, name+" "+lk.Shape.String()+" "+types.TypeString(lk.Type, q)+" "+lk.Need.String())
	}
	return strings.Join(got, "\n")
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
	s := testSource(t, map[string]string{
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
	d, err := p.Lookup(configured)
	if err != nil {
		return err
	}
	_ = d.(func())
	return nil
}
`,
	})
	found, problem, err := s.Candidates(context.Background(), []string{"example.com/h/host", "example.com/h/sdk", "fmt"})
	if err != nil || problem != nil {
		t.Fatal(err, problem)
	}
	if len(found) != 1 || found[0] != "example.com/h/host" {
		t.Fatalf("Candidates = %v, want the one package that imports plugin", found)
	}
	l := read(t, s, "example.com/h/host")
	want := strings.Join([]string{
		"GetName function func() string required",
		"Plugin variable api.Plugin required",
		"HandlerRegisterer implementer api.Registerer optional",
		"Filter function func(ctx *api.Plugin, n int) (bool, error) optional",
		"Init function api.InitFunc optional",
		"(dynamic) function func() required",
	}, "\n")
	if got := describe(l); got != want {
		t.Errorf("lookups:\n%s\nwant:\n%s", got, want)
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

// TestReadWrapped reads loaders that reach Lookup through the host's own
// interface, filled by a function calling plugin.Open; a generic helper
// asserting to its type argument; a helper looking a name up that its
// callers give; and handlers named by configuration.
func TestReadWrapped(t *testing.T) {
	s := testSource(t, map[string]string{
		"sdk/sdk.go": sdkSrc,
		"open/open.go": `package open

import "plugin"

// Plugin is what the loaders need of a plugin, so that tests can fake it.
type Plugin interface {
	Lookup(string) (plugin.Symbol, error)
}

// Opener opens a plugin; tests replace it.
var Opener = func(path string) (Plugin, error) { return plugin.Open(path) }
`,
		"server/server.go": `package server

import (
	"errors"
	"fmt"
	"net/http"
	"plugin"

	"example.com/h/open"
	"example.com/h/sdk"
)

func as[T any](sym plugin.Symbol) (T, error) {
	v, ok := sym.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("%T", sym)
	}
	return v, nil
}

func get[T any](p open.Plugin, name string) (T, error) {
	sym, err := p.Lookup(name)
	if err != nil {
		return *new(T), err
	}
	return as[T](sym)
}

type table struct{ lookup func(string) (plugin.Symbol, error) }

func Load(path string, handlers []string) error {
	p, err := open.Opener(path)
	if err != nil {
		return err
	}
	r, err := p.Lookup("Registerer")
	if err != nil {
		return fmt.Errorf("no registerer: %w", err)
	}
	if _, ok := r.(sdk.Registerer); !ok {
		return errors.New("not a registerer")
	}
	sym, err := p.Lookup("GetName")
	if err != nil {
		return err
	}
	name, err := as[func() string](sym)
	if err != nil {
		return err
	}
	_ = name
	if cleanup, err := get[func() error](p, "Cleanup"); err == nil {
		defer cleanup()
	}
	initFn, err := get[sdk.InitFunc](p, "Init")
	if err != nil {
		panic(err)
	}
	_ = initFn
	for _, h := range handlers {
		hf, err := get[func(http.ResponseWriter, *http.Request)](p, h)
		if err != nil {
			return err
		}
		_ = hf
	}
	t := table{lookup: p.Lookup}
	if v, err := t.lookup("Version"); err == nil {
		_ = v.(*string)
	}
	return nil
}
`,
	})
	found, _, err := s.Candidates(context.Background(), []string{"example.com/h/open", "example.com/h/sdk", "example.com/h/server"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(found, " ") != "example.com/h/open example.com/h/server" {
		t.Errorf("Candidates = %v, want open and server", found)
	}
	l := read(t, s, "example.com/h/server")
	want := strings.Join([]string{
		"Registerer implementer sdk.Registerer required",
		"GetName function func() string required",
		"Cleanup function func() error optional",
		"Init function sdk.InitFunc required",
		"(dynamic) function func(http.ResponseWriter, *http.Request) required",
		"Version variable string optional",
	}, "\n")
	if got := describe(l); got != want {
		t.Errorf("lookups:\n%s\nwant:\n%s", got, want)
	}
}

// TestReadRefuses: assertions no looked-up symbol can satisfy are errors
// that say why.
func TestReadRefuses(t *testing.T) {
	for _, tt := range []struct{ assert, want string }{
		{"sdk.Named", "asserted to the defined type example.com/h/sdk.Named"},
		{"any", "has no methods"},
		{"struct{}", "which a looked-up symbol never is"},
	} {
		s := testSource(t, map[string]string{
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
		p, err := s.Check("example.com/h/host")
		if err != nil {
			t.Fatal(err)
		}
		_, err = Read(p)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("asserted to %s: got %v, want an error with %q", tt.assert, err, tt.want)
		}
	}
}

// TestReadSlice: a loader's package is read with only the imports its
// lookups can involve; when that leaves a lookup or an assertion without
// a type (here, the opener's type comes from a package named only in a
// variable's initializer), the package is read again with all of them.
func TestReadSlice(t *testing.T) {
	files := map[string]string{
		"sdk/sdk.go": sdkSrc,
		"wrap/wrap.go": `package wrap

import "plugin"

type Plugin interface{ Lookup(string) (plugin.Symbol, error) }

func Open(path string) (Plugin, error) { return plugin.Open(path) }
`,
		"unused/unused.go": `package unused

func Heavy() int { return 1 }
`,
		"host/load.go": `package host

import (
	"example.com/h/sdk"
	"example.com/h/unused"
	"example.com/h/wrap"
)

var opener = wrap.Open

var weight = unused.Heavy()

func load(path string) error {
	p, err := opener(path)
	if err != nil {
		return err
	}
	sym, err := p.Lookup("Plugin")
	if err != nil {
		return err
	}
	_ = sym.(*sdk.Plugin)
	return nil
}
`,
	}
	s := testSource(t, files)
	l := read(t, s, "example.com/h/host")
	if got, want := describe(l), "Plugin variable sdk.Plugin required"; got != want {
		t.Errorf("lookups: %s, want %s", got, want)
	}
	needed, _ := lookupImports(l.pkg.Files)
	if needed["example.com/h/unused"] {
		t.Errorf("the slice reads example.com/h/unused, which no lookup involves")
	}
	// Named in the function that looks up, the opener's package is read
	// at once, and the slice holds.
	files["host/load.go"] = strings.Replace(files["host/load.go"], "p, err := opener(path)", "p, err := wrap.Open(path)", 1)
	s = testSource(t, files)
	l = read(t, s, "example.com/h/host")
	if got, want := describe(l), "Plugin variable sdk.Plugin required"; got != want {
		t.Errorf("lookups: %s, want %s", got, want)
	}
	s.mu.Lock()
	_, readUnused := s.pkgs["example.com/h/unused"]
	s.mu.Unlock()
	if readUnused {
		t.Errorf("example.com/h/unused was read, though no lookup involves it")
	}
}
