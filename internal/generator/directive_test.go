package generator

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// directiveLines lists the lines of a generated tree that the go toolchain
// would read as directives: the test's own scan, not the generator's.
func directiveLines(tree filetree.Tree) []string {
	var found []string
	for _, p := range tree.Paths() {
		for i, line := range bytes.Split(tree[p], []byte("\n")) {
			for _, prefix := range []string{"//go:", "//line", "#cgo", "//export", "// +build"} {
				if bytes.HasPrefix(line, []byte(prefix)) {
					found = append(found, fmt.Sprintf("%s:%d: %s", p, i+1, line))
				}
			}
		}
	}
	return found
}

// exampleOptions are answers that generate a plugin for the release m.
func exampleOptions(m *manifest.Manifest) Options {
	o := Options{Name: "p", Module: "example.com/p", Libc: m.Libc.Families(), Manifest: m, Optional: m.Contract.Optional()}
	if m.Contract.Kind == manifest.KindHandlers {
		o.Handlers = []string{"Hello"}
	}
	return o
}

// TestNoDirectivesInExamples scans every file generated for every example
// release for a line the go toolchain would read as a directive: the
// templates write none.
func TestNoDirectivesInExamples(t *testing.T) {
	files, err := examplefiles.Manifests()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, world.Examples+"/"), func(t *testing.T) {
			t.Parallel()
			m, err := manifest.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			o := exampleOptions(m)
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			if found := directiveLines(tree); len(found) > 0 {
				t.Errorf("generated files hold directives:\n%s", strings.Join(found, "\n"))
			}
		})
	}
}

// TestNoDirectivesFromManifest puts each directive at the start of a line
// of every kind of manifest text that reaches a generated file: in a raw
// string of an example, a block or line comment, a struct tag of a type,
// a doc, the registration snippet. The manifest is refused, naming the
// field, or every file generated from it is free of directives; a raw
// string is kept, as an interpreted literal.
func TestNoDirectivesFromManifest(t *testing.T) {
	iface := func(m manifest.Method) manifest.Contract {
		return manifest.Contract{Kind: manifest.KindInterfaceVariable, Package: "example.com/gateway/sdk", Interface: "Plugin",
			Symbol: "Plugin", Imports: allImports, Methods: []manifest.Method{m}}
	}
	symbols := func(s manifest.Symbol) manifest.Contract {
		return manifest.Contract{Kind: manifest.KindSymbols, Imports: allImports,
			Symbols: []manifest.Symbol{{Name: "GetName", Type: "func() string", Required: true}, s}}
	}
	handler := func(h manifest.Handler) manifest.Contract {
		return manifest.Contract{Kind: manifest.KindHandlers, Imports: allImports, Handler: &h}
	}
	const httpType = "func(http.ResponseWriter, *http.Request)"
	carriers := []struct {
		name string
		// make puts the directive line d into the manifest.
		make func(m *manifest.Manifest, d string)
		// kept says the text is accepted, and reaches the files without
		// the directive; otherwise the manifest is refused, naming the
		// field.
		kept outcome
	}{
		{"raw string in a method's example", func(m *manifest.Manifest, d string) {
			m.Contract = iface(manifest.Method{Name: "Name", Signature: "func() string", Example: "s := `x\n" + d + "\n`\nreturn s"})
		}, kept},
		{"raw string in a symbol's example", func(m *manifest.Manifest, d string) {
			m.Contract = symbols(manifest.Symbol{Name: "Init", Type: "func(config any) error", Required: true, Example: "_ = `\n" + d + "`\nreturn nil"})
		}, kept},
		{"raw string in a handler's example", func(m *manifest.Manifest, d string) {
			m.Contract = handler(manifest.Handler{Type: httpType, Example: "w.Write([]byte(`a\n" + d + "\n`))"})
		}, kept},
		{"raw string as a call's argument", func(m *manifest.Manifest, d string) {
			m.Contract = iface(manifest.Method{Name: "Name", Signature: "func() string", Example: "return strings.TrimSpace(`\n" + d + "\n`) + pluginName"})
		}, kept},
		{"raw struct tag in a method's signature", func(m *manifest.Manifest, d string) {
			m.Contract = iface(manifest.Method{Name: "Name", Signature: "func(v struct{ X int `json:\"x\"\n" + d + "` }) string"})
		}, kept},
		{"raw struct tag in a symbol's type", func(m *manifest.Manifest, d string) {
			m.Contract = symbols(manifest.Symbol{Name: "Meta", Type: "struct{ X int `\n" + d + "\n` }", Required: true})
		}, kept},
		// A block comment's line that reads as a directive may be kept
		// as text or the example refused; neither reaches a file.
		{"block comment in an example", func(m *manifest.Manifest, d string) {
			m.Contract = iface(manifest.Method{Name: "Name", Signature: "func() string", Example: "/* a\n" + d + "\n*/\nreturn pluginName"})
		}, either},
		{"line comment in an example", func(m *manifest.Manifest, d string) {
			m.Contract = iface(manifest.Method{Name: "Name", Signature: "func() string", Example: d + "\nreturn pluginName"})
		}, refused},
		{"block comment in a signature", func(m *manifest.Manifest, d string) {
			m.Contract = iface(manifest.Method{Name: "Name", Signature: "func(/*\n" + d + "\n*/) string"})
		}, kept},
		{"method doc", func(m *manifest.Manifest, d string) {
			m.Contract = iface(manifest.Method{Name: "Name", Signature: "func() string", Doc: "Name names.\n" + d})
		}, kept},
		{"symbol doc", func(m *manifest.Manifest, d string) {
			m.Contract = symbols(manifest.Symbol{Name: "Init", Type: "func(config any) error", Required: true, Doc: d})
		}, kept},
		{"handler doc", func(m *manifest.Manifest, d string) {
			m.Contract = handler(manifest.Handler{Type: httpType, Doc: "Serves.\n" + d})
		}, kept},
		{"registration snippet", func(m *manifest.Manifest, d string) {
			m.Registration.Snippet = "plugins:\n" + d + "\n  - {{name}}\n"
		}, refused},
	}
	directives := []string{"//go:generate touch pwned", "//line pwned.go:1", "#cgo LDFLAGS: -lpwned", "//export Pwned", "// +build pwned"}
	for _, c := range carriers {
		for _, d := range directives {
			t.Run(c.name+"/"+d, func(t *testing.T) {
				t.Parallel()
				o := helloWorld(t)
				c.make(o.Manifest, d)
				if o.Manifest.Contract.Kind == manifest.KindHandlers {
					o.Handlers = []string{"Serve"}
				}
				tree, err := Render(&o)
				switch {
				case err == nil:
					if found := directiveLines(tree); len(found) > 0 {
						t.Fatalf("generated files hold directives:\n%s", strings.Join(found, "\n"))
					}
					if c.kept == refused {
						t.Errorf("accepted, want it refused")
					}
				case c.kept == kept:
					t.Errorf("Render: %v, want the text kept, without the directive", err)
				default:
					var p *manifest.Problems
					if !errors.As(err, &p) {
						t.Errorf("Render: %v, want the manifest refused", err)
					}
				}
			})
		}
	}
}

// An outcome is what becomes of manifest text holding a directive line.
type outcome int

const (
	// kept: accepted, and in the files without the directive.
	kept outcome = iota
	// refused: the manifest is refused, naming the field.
	refused
	// either of the two.
	either
)

// TestRawStringInterpreted checks that a raw string of an example keeps
// its value, as an interpreted literal on one line.
func TestRawStringInterpreted(t *testing.T) {
	o := helloWorld(t)
	o.Manifest.Contract.Methods[0].Example = "s := `a\n//go:generate touch pwned\n`\nreturn s + pluginName"
	tree, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	if want := `s := "a\n//go:generate touch pwned\n"`; !bytes.Contains(tree["plugin.go"], []byte(want)) {
		t.Errorf("plugin.go does not hold %s:\n%s", want, tree["plugin.go"])
	}
}

// TestCheckDirectives takes a directive the template itself writes, and no
// other.
func TestCheckDirectives(t *testing.T) {
	tmpl := []byte("package p\n\n//go:build linux\n")
	for _, tt := range []struct {
		content string
		ok      bool
	}{
		{"package p\n\n//go:build linux\n", true},
		{"package p\n\n//go:build linux\n//go:generate x\n", false},
		{"package p\n\t//go:generate x\n", true},
		{"package p\n// go:generate x\n", true},
		{"package p\n//line x.go:1\n", false},
		{"package p\n//go:build linux\r\n", true},
		{"#cgo CFLAGS: -O2\n", false},
		{"//export F\n", false},
		{"// +build ignore\n", false},
	} {
		err := CheckDirectives("f.go", []byte(tt.content), tmpl)
		if (err == nil) != tt.ok {
			t.Errorf("CheckDirectives(%q) = %v, want ok=%v", tt.content, err, tt.ok)
		}
	}
}
