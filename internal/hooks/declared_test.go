package hooks

import (
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestExampleDeclarations gives the examples of a contract declarations
// the plugin's file cannot hold, and expects each refused, naming the
// example: a function the package may not declare for it, a name two
// examples declare, and a name the generated files use, fixed or the
// plugin's own type.
func TestExampleDeclarations(t *testing.T) {
	files, err := examplefiles.Manifests()
	if err != nil {
		t.Fatal(err)
	}
	const typ = "Greeter"
	for _, tt := range []struct {
		name         string
		first, other string // declarations before the first and another example
		want         string
	}{
		{name: "init", first: "func init() {}", want: "declares init, which a plugin's package may not declare"},
		{name: "twice", first: "func shared() {}", other: "func shared() {}", want: "declares shared, which another example declares too"},
		{name: "reserved", first: "func pluginName() {}", want: "declares pluginName, a name the generated files use"},
		{name: "the plugin's type", first: "type " + typ + " struct{}\nfunc (" + typ + ") M() {}", want: "declares " + typ + ", a name the generated files use"},
		{name: "fine", first: "func shared() {}", other: "func other() {}"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tried := false
			for _, file := range files {
				m, err := manifest.Load(file)
				if err != nil {
					t.Fatal(err)
				}
				var examples []manifest.GoText
				for _, gt := range m.Contract.GoTexts() {
					if gt.Kind == manifest.TextStatements && *gt.Text != "" {
						examples = append(examples, gt)
					}
				}
				if len(examples) < 2 || m.Contract.Kind == manifest.KindHandlers {
					continue
				}
				tried = true
				*examples[0].Text = tt.first + "\n\n" + *examples[0].Text
				if tt.other != "" {
					*examples[1].Text = tt.other + "\n\n" + *examples[1].Text
				}
				want := tt.want
				if want != "" {
					path := examples[0].Path
					if tt.other != "" {
						path = examples[1].Path
					}
					want = path + ": " + want
				}
				_, err = New(&m.Contract, Options{Type: typ, Module: "example.com/greeter"})
				switch {
				case want == "" && err != nil:
					t.Errorf("%s: %v", file, err)
				case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
					t.Errorf("%s: got %v, want an error saying %q", file, err, want)
				}
			}
			if !tried {
				t.Fatal("no example contract has two examples")
			}
		})
	}
}
