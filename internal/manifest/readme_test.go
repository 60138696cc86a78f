package manifest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeBaseFiles checks the README's host-maintainer section: it shows
// a base file's contract for every contract kind, and each one is a base
// file scaffold reads (no unknown field, no kind it lacks).
func TestReadmeBaseFiles(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "### A base file for each contract kind\n")
	if !ok {
		t.Fatal("README.md has no section \"A base file for each contract kind\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(section, -1)
	var kinds []string
	for i, b := range blocks {
		first, _, _ := strings.Cut(b[1], "\n")
		kind, _, ok := strings.Cut(strings.TrimPrefix(first, "# "), ":")
		if !ok || !slices.Contains(Kinds, kind) {
			t.Errorf("block %d does not start with \"# KIND:\": %q", i, first)
			continue
		}
		kinds = append(kinds, kind)
		file := filepath.Join(t.TempDir(), "base.yaml")
		if err := os.WriteFile(file, []byte("schemaVersion: 1\n"+b[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		m, _, err := ReadBase(file)
		if err != nil {
			t.Errorf("%s base file: %v", kind, err)
			continue
		}
		if m.Contract.Kind != "" && m.Contract.Kind != kind {
			t.Errorf("%s base file says kind %s", kind, m.Contract.Kind)
		}
	}
	slices.Sort(kinds)
	want := slices.Sorted(slices.Values(Kinds))
	if !slices.Equal(kinds, want) {
		t.Errorf("README shows base files for %q, want one for each of %q", kinds, want)
	}
}

// TestReadmeTrust reads the table of refused values in README's section
// on what a manifest can make happen, and tries each one: every value
// must be refused, naming its field, on the example manifest that is
// otherwise valid.
func TestReadmeTrust(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## What a manifest can make happen\n")
	if !ok {
		t.Fatal("README.md has no section \"What a manifest can make happen\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	_, table, ok := strings.Cut(section, "| field | refused |\n| --- | --- |\n")
	if !ok {
		t.Fatal("the section has no table of refused values")
	}
	code := regexp.MustCompile("`([^`]*)`")
	tried := 0
	for _, row := range strings.Split(strings.TrimSpace(table), "\n") {
		cells := strings.Split(strings.Trim(row, "| "), " | ")
		if len(cells) != 2 {
			t.Fatalf("table row %q: want two cells", row)
		}
		var fields, values []string
		for _, m := range code.FindAllStringSubmatch(cells[0], -1) {
			fields = append(fields, m[1])
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			values = append(values, m[1])
		}
		if len(values) == 0 {
			t.Errorf("table row %q names no value", row)
		}
		if cells[0] == "fields that do not exist" {
			for _, f := range values {
				tried++
				t.Run(f, func(t *testing.T) { tryUnknownField(t, f) })
			}
			continue
		}
		if len(fields) == 0 {
			t.Errorf("table row %q names no field", row)
		}
		for _, f := range fields {
			for _, v := range values {
				tried++
				t.Run(f+"="+v, func(t *testing.T) {
					m := exampleManifest(t)
					path := f
					switch f {
					case "proxy.goproxy":
						m.Proxy.GOPROXY = v
					case "proxy.gonosumdb":
						m.Proxy.GONOSUMDB, path = []string{v}, f+"[0]"
					case "proxy.goprivate":
						m.Proxy.GOPRIVATE, path = []string{v}, f+"[0]"
					case "proxy.gonoproxy":
						m.Proxy.GONOPROXY, path = []string{v}, f+"[0]"
					case "build.gcflags":
						m.Build.Gcflags = v
					case "build.asmflags":
						m.Build.Asmflags = v
					default:
						t.Fatalf("the test does not know the field %s", f)
					}
					var p *Problems
					if err := m.Validate(); !errors.As(err, &p) || !slices.ContainsFunc(p.List, func(q Problem) bool { return q.Path == path }) {
						t.Errorf("%s: %q: Validate() = %v, want a problem with %s", f, v, err, path)
					}
				})
			}
		}
	}
	if tried < 50 {
		t.Errorf("the table holds %d values, fewer than README's section had when this test was written", tried)
	}
}

// tryUnknownField adds the field path (as "build.ldflags") to the example
// manifest and checks that reading it refuses the field.
func tryUnknownField(t *testing.T, path string) {
	t.Helper()
	js, err := json.Marshal(exampleManifest(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	parent, name, _ := strings.Cut(path, ".")
	obj, ok := doc[parent].(map[string]any)
	if !ok {
		obj = map[string]any{}
		doc[parent] = obj
	}
	obj[name] = "x"
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("m.json", data)
	if err == nil || !strings.Contains(err.Error(), path+": unknown field") {
		t.Errorf("a manifest with %s: got %v, want it refused as an unknown field", path, err)
	}
}
