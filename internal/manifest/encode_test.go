package manifest

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// noImportsManifest is the sieve example without the symbol that names the
// SDK: a valid manifest whose contract has no imports.
func noImportsManifest(t *testing.T) *Manifest {
	t.Helper()
	m, err := Load(filepath.Join("..", "..", "examples", "sieve", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m.Contract.Symbols = slices.DeleteFunc(m.Contract.Symbols, func(s Symbol) bool { return strings.Contains(s.Type, "sdk.") })
	m.Contract.Imports, m.Contract.Types = nil, nil
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNoImports holds a contract without imports to one encoding: built
// with a nil or an empty list, read from YAML that lists none, leaves the
// field out or says null, or from JSON that says null, a manifest writes
// the same bytes in each format and has one digest.
func TestNoImports(t *testing.T) {
	m := noImportsManifest(t)
	want := map[string][]byte{}
	for _, name := range []string{"m.yaml", "m.json"} {
		data, err := Marshal(name, m)
		if err != nil {
			t.Fatal(err)
		}
		want[name] = data
	}
	if !bytes.Contains(want["m.json"], []byte(`"imports": []`)) {
		t.Errorf("JSON does not list the contract's imports as []:\n%s", want["m.json"])
	}
	digest := m.Digest()

	empty := *m
	empty.Contract.Imports = []Import{}
	variants := map[string]*Manifest{"nil in memory": m, "[] in memory": &empty}
	yamlAbsent := bytes.Replace(want["m.yaml"], []byte("  imports: []\n"), nil, 1)
	yamlNull := bytes.Replace(want["m.yaml"], []byte("  imports: []\n"), []byte("  imports: null\n"), 1)
	jsonNull := bytes.Replace(want["m.json"], []byte(`"imports": []`), []byte(`"imports": null`), 1)
	for label, src := range map[string]struct {
		name string
		data []byte
	}{
		"yaml []":     {"m.yaml", want["m.yaml"]},
		"yaml absent": {"m.yaml", yamlAbsent},
		"yaml null":   {"m.yaml", yamlNull},
		"json []":     {"m.json", want["m.json"]},
		"json null":   {"m.json", jsonNull},
	} {
		if bytes.Equal(src.data, want[src.name]) != (label == "yaml []" || label == "json []") {
			t.Fatalf("%s: the document was not edited as the test expects", label)
		}
		back, err := Parse(src.name, src.data)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		variants["read from "+label] = back
	}
	for label, v := range variants {
		if got := v.Digest(); got != digest {
			t.Errorf("%s: digest %s, want %s", label, got, digest)
		}
		for name, w := range want {
			got, err := Marshal(name, v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, w) {
				t.Errorf("%s: %s differs:\n%s\nwant:\n%s", label, name, got, w)
			}
		}
	}
}

// TestHasDigest accepts the digest scaffold recorded for a contract without
// imports when it wrote them as null, and only for such a contract.
func TestHasDigest(t *testing.T) {
	m := noImportsManifest(t)
	data, err := Marshal("m.json", m)
	if err != nil {
		t.Fatal(err)
	}
	// What json.Marshal gave for a nil list before it was written as [].
	var compact bytes.Buffer
	if err := json.Compact(&compact, bytes.Replace(data, []byte(`"imports": []`), []byte(`"imports": null`), 1)); err != nil {
		t.Fatal(err)
	}
	old := digest(compact.Bytes())
	if old == m.Digest() {
		t.Fatal("the two encodings have one digest: the test checks nothing")
	}
	if !m.HasDigest(old) || !m.HasDigest(m.Digest()) {
		t.Errorf("HasDigest refuses a digest of the manifest")
	}
	if m.HasDigest("sha256:" + strings.Repeat("0", 64)) {
		t.Errorf("HasDigest accepts a digest of neither encoding")
	}
	with := exampleManifest(t)
	if with.HasDigest(old) {
		t.Errorf("HasDigest accepts another manifest's digest")
	}
}
