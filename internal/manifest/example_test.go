package manifest

import (
	"strings"
	"testing"
)

// TestParseExample parses examples of both forms: statements, and
// declarations followed by statements. Imports and directive comments
// are refused, as is text that closes the function body.
func TestParseExample(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		decls     []string // the names declared, when there are declarations
		stmts     int
		err       string
	}{
		{name: "statements", src: "req.SetHeader(\"X\", pluginName)\nreturn req, nil", stmts: 2},
		{name: "a local type is a statement", src: "type t struct{}\nreturn &t{}", stmts: 2},
		{name: "a function literal starts a statement", src: "func() { println() }()\nreturn nil", stmts: 2},
		{
			name:  "a type with its methods, then the body",
			src:   "type hello struct{ n int }\n\n// Enable enables.\nfunc (h *hello) Enable() error { return nil }\nfunc (*hello) Disable() error { return nil }\n\nreturn &hello{}",
			decls: []string{"hello"},
			stmts: 1,
		},
		{
			name:  "functions, constants and variables",
			src:   "const greeting = \"hi\"\nvar count int\nfunc greet() string { return greeting }\nreturn greet()",
			decls: []string{"greeting", "count", "greet"},
			stmts: 1,
		},
		{name: "declarations alone", src: "type t struct{}\nfunc (t) M() {}", decls: []string{"t"}},
		{name: "an import", src: "import \"os\"\nfunc f() {}\nreturn", err: "imports a package"},
		{name: "go:generate in the body", src: "//go:generate rm -rf /\nreturn nil", err: "a directive the Go tools act on"},
		{name: "go:linkname in the declarations", src: "//go:linkname f runtime.f\nfunc f()\nreturn nil", err: "a directive"},
		{name: "a line directive", src: "/*line x.go:1*/ return nil", err: "a directive"},
		{name: "cgo's export", src: "//export F\nfunc F() {}\nreturn nil", err: "a directive"},
		{name: "a build constraint", src: "// +build ignore\nreturn nil", err: "a directive"},
		{name: "a pragma go/ast would not call one", src: "//go:Nosplit\nreturn nil", err: "a directive"},
		{name: "a comment that only mentions one", src: "// go:generate is not run here\nreturn nil", stmts: 1},
		{name: "a block comment holding one", src: "/* notes\n//go:generate rm -rf /\n*/\nfunc f() {}\nreturn nil", err: "a directive"},
		{name: "a block comment holding one among statements", src: "/*\n\t//go:generate x\n*/\nreturn nil", err: "a directive"},
		{name: "closing the body", src: "return nil\n}\nfunc init() { println(1) }\nfunc _() {", err: "closes the function body"},
		{name: "declarations that do not parse", src: "func (h *hello) Enable( error {}\nreturn nil", err: "does not parse"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseExample(tt.src)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("got %v, want an error saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(e.DeclaredNames(), ","); got != strings.Join(tt.decls, ",") || (e.Decls != nil) != (tt.decls != nil) {
				t.Errorf("declares %q (declarations: %v), want %q", got, e.Decls != nil, tt.decls)
			}
			if len(e.Body.List) != tt.stmts {
				t.Errorf("%d statements, want %d", len(e.Body.List), tt.stmts)
			}
		})
	}
}

// TestValidateTypes: the types a symbol set's functions return are named
// as the signatures name them, with a method set or string fields, and
// their text is held to what lands in Go source.
func TestValidateTypes(t *testing.T) {
	valid := func() *Manifest {
		m := exampleManifest(t)
		m.Contract = Contract{
			Kind: KindSymbols, Package: "example.com/gateway/sdk",
			Imports: []Import{{Path: "example.com/gateway/sdk"}},
			Symbols: []Symbol{
				{Name: "Info", Type: "func() sdk.Info", Required: true},
				{Name: "New", Type: "func() sdk.Plugin", Required: true},
			},
			Types: []NamedType{
				{Name: "sdk.Info", StringFields: []Field{{Name: "Name", Doc: "Name names it."}, {Name: "ModulePath"}}},
				{Name: "sdk.Plugin", Methods: []Method{{Name: "Enable", Signature: "func() error", Example: "return nil"}}},
			},
		}
		return m
	}
	if err := valid().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		edit func(k *Contract)
		want string
	}{
		{"neither", func(k *Contract) { k.Types[0].StringFields = nil }, "contract.types[0]: has neither methods"},
		{"both", func(k *Contract) { k.Types[1].StringFields = []Field{{Name: "X"}} }, "contract.types[1]: has both"},
		{"twice", func(k *Contract) { k.Types[1].Name = "sdk.Info" }, "contract.types[1].name: sdk.Info is listed twice"},
		{"unknown package", func(k *Contract) { k.Types[0].Name = "other.Info" }, "contract.types[0].name: refers to package other"},
		{"not a name", func(k *Contract) { k.Types[0].Name = "[]sdk.Info" }, "contract.types[0].name: "},
		{"unexported field", func(k *Contract) { k.Types[0].StringFields[1].Name = "path" }, "contract.types[0].stringFields[1].name:"},
		{"method signature", func(k *Contract) { k.Types[1].Methods[0].Signature = "error" }, "contract.types[1].methods[0].signature:"},
		{"method example", func(k *Contract) { k.Types[1].Methods[0].Example = "//go:generate x\nreturn nil" }, "contract.types[1].methods[0].example: holds the comment"},
		{"doc", func(k *Contract) { k.Types[0].StringFields[0].Doc = "a\x1b[2Jb" }, "contract.types[0].stringFields[0].doc:"},
		{"another kind", func(k *Contract) {
			k.Kind, k.Symbol, k.Interface = KindInterfaceVariable, "Plugin", "Plugin"
			k.Symbols, k.Methods = nil, []Method{{Name: "Name", Signature: "func() string"}}
		}, "contract.types: is not used by kind interface-variable"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.edit(&m.Contract)
			if err := m.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}
