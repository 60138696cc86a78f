package manifest

import (
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
