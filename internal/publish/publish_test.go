package publish

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/sbom"
)

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWriteSums: SHA256SUMS lists every file of the directory, sorted, as
// sha256sum writes it, but itself and its signatures; a directory inside
// is refused, since the sums would not cover it.
func TestWriteSums(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b.so", "b")
	write(t, dir, "a.cdx.json", "a")
	write(t, dir, SumsFile, "stale")
	write(t, dir, SumsFile+".sig", "signature")
	if err := WriteSums(dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, SumsFile))
	if err != nil {
		t.Fatal(err)
	}
	want := "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  a.cdx.json\n" +
		"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.so\n"
	if string(got) != want {
		t.Errorf("SHA256SUMS:\n%s\nwant:\n%s", got, want)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteSums(dir); err == nil || !strings.Contains(err.Error(), "sub: not a regular file") {
		t.Errorf("WriteSums with a directory inside: %v, want it refused", err)
	}
}

// TestFinishMissing: a release lacking a shipped artifact fails naming
// each one missing and writes no sums; partial, it releases what is there.
// A name that is no plain file name is refused.
func TestFinishMissing(t *testing.T) {
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	// A Go binary stands in for a plugin: both carry build info.
	if err := os.WriteFile(filepath.Join(dir, "p_amd64.so"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	o := Options{Dir: dir, Shipped: []string{"p_amd64.so", "p_arm64.so", "p_riscv64.so"}, SBOM: sbom.Options{Version: "v1.0.0"}}
	err = Finish(o)
	if err == nil || !strings.Contains(err.Error(), "lacks 2 of the 3 artifacts the plugin ships: p_arm64.so, p_riscv64.so;") {
		t.Errorf("Finish: %v, want the missing artifacts named", err)
	}
	if _, err := os.Stat(filepath.Join(dir, SumsFile)); err == nil {
		t.Error("a failed release wrote SHA256SUMS")
	}
	o.Partial = true
	if err := Finish(o); err != nil {
		t.Fatalf("Finish, partial: %v", err)
	}
	for _, name := range []string{"p_amd64.cdx.json", SumsFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("a partial release lacks %s: %v", name, err)
		}
	}
	o.Shipped = []string{"../p_amd64.so"}
	if err := Finish(o); err == nil || !strings.Contains(err.Error(), "not a file name") {
		t.Errorf("Finish with a path for an artifact: %v, want it refused", err)
	}
}
