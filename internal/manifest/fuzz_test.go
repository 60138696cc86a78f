package manifest

import (
	"testing"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
)

// FuzzParse feeds Parse mutations of the example manifests, as YAML and as
// JSON. It never panics; a manifest it accepts is valid, and written back
// in either format reads the same, with the same digest.
func FuzzParse(f *testing.F) {
	files, err := examplefiles.ReadManifests()
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		f.Add(file.Data, false)
		m, err := Parse(file.Path, file.Data)
		if err != nil {
			f.Fatal(err)
		}
		js, err := Marshal("m.json", m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js, true)
	}
	f.Add([]byte("schemaVersion: 1\n---\nschemaVersion: 1\n"), false)
	f.Add([]byte(`{"schemaVersion": 1} xx`), true)
	f.Add([]byte("a: &a [*a, *a]\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		name := "m.yaml"
		if isJSON {
			name = "m.json"
		}
		m, err := Parse(name, data)
		if err != nil {
			if m != nil {
				t.Fatalf("Parse returned a manifest and the error %v", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Parse accepted a manifest Validate refuses: %v", err)
		}
		for _, out := range []string{"m.yaml", "m.json"} {
			again, err := Marshal(out, m)
			if err != nil {
				t.Fatalf("Marshal(%s): %v", out, err)
			}
			back, err := Parse(out, again)
			if err != nil {
				t.Fatalf("a manifest Parse accepted, written as %s, is refused: %v\n%s", out, err, again)
			}
			if back.Digest() != m.Digest() {
				t.Fatalf("a manifest written as %s reads back with another digest", out)
			}
		}
	})
}
