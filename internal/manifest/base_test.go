package manifest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReadBaseProblems: a base file's problems are named as the base
// file's, with the field probably meant, not as a manifest's.
func TestReadBaseProblems(t *testing.T) {
	file := filepath.Join(t.TempDir(), "manifest.base.yaml")
	if err := os.WriteFile(file, []byte("schemaVersion: 1\nhost: {name: gateway}\ncontract:\n  symbl: Plugin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ReadBase(file)
	want := "base file " + file + ": line 4: contract.symbl: unknown field (did you mean symbol?)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}
