package manifest

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestHostileDocuments reads manifests that are more than one document,
// or one document followed by data; each is refused with its line.
func TestHostileDocuments(t *testing.T) {
	js, err := json.Marshal(exampleManifest(t))
	if err != nil {
		t.Fatal(err)
	}
	y, err := Marshal("m.yaml", exampleManifest(t))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(y), "\n")
	for _, tt := range []struct {
		name, file, data, want string
	}{
		{"JSON then a word", "m.json", string(js) + " xx", "line 1: invalid JSON: unexpected data after the document at column " + itoa(len(js)+2)},
		{"JSON then a second object", "m.json", string(js) + "\n{}", "line 2: invalid JSON: unexpected data after the document at column 1"},
		{"JSON then a bracket", "m.json", string(js) + "]", "invalid JSON: unexpected data after the document"},
		{"JSON then a NUL", "m.json", string(js) + "\x00", "invalid JSON: unexpected data after the document"},
		{"sniffed JSON then a word", "manifest", string(js) + " xx", "invalid JSON: unexpected data after the document"},
		{"a second YAML document", "m.yaml", string(y) + "---\nschemaVersion: 1\n", "line " + itoa(lines+1) + ": a second YAML document: a manifest is one document"},
		{"a second YAML document, broken", "m.yaml", string(y) + "---\n: : [\n", "invalid YAML"},
		{"YAML, a document end, then more", "m.yaml", string(y) + "...\nhost: {name: other}\n", "invalid YAML"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.file, []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
	// A JSON document followed by white space only is fine.
	if _, err := Parse("m.json", append(js, " \n \n"...)); err != nil {
		t.Errorf("JSON with trailing white space: %v", err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestJSONWithTabs reads a JSON manifest indented with tabs, as many
// editors and encoders write it.
func TestJSONWithTabs(t *testing.T) {
	m := exampleManifest(t)
	data, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("m.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Digest() != m.Digest() {
		t.Errorf("read back with another digest")
	}
	// A tab inside a string is still refused, as JSON refuses it.
	if _, err := Parse("m.json", []byte("{\"schemaVersion\": 1, \"go\": \"go1.26.8\t\"}")); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("a raw tab in a JSON string: got %v, want invalid JSON", err)
	}
}
