package generator

import (
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// FuzzRender renders the plugin repository for mutations of the example
// manifests: what validation accepts, the templates must write. A manifest
// is refused by validation or by the answers' checks, or renders; it never
// makes a template refuse a value or write Go that does not parse.
func FuzzRender(f *testing.F) {
	files, err := examplefiles.ReadManifests()
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		f.Add(file.Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := manifest.Parse("m.yaml", data)
		if err != nil {
			return
		}
		o := Options{Name: "hello-world", Module: "example.com/hello-world", Libc: m.Libc.Families(), Manifest: m, Optional: m.Contract.Optional()}
		if m.Contract.Kind == manifest.KindHandlers {
			o.Handlers = []string{"Hello"}
		}
		if _, err := Render(&o); err != nil {
			for _, bad := range []string{"unsafe value", "is not valid Go", "formatting generated", "rendering "} {
				if strings.Contains(err.Error(), bad) {
					t.Fatalf("a valid manifest does not render: %v", err)
				}
			}
		}
	})
}
