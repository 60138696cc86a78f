package artifact

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// mapTruncated maps a copy of file, then cuts the copy to size bytes: the
// mapping's pages past size fault when touched, as when a plugin is
// rewritten while scaffold check reads it.
func mapTruncated(t *testing.T, file string, size int64) *mapping {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), filepath.Base(file))
	if err := os.WriteFile(cp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := input.Open(cp, input.BinaryLimit)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	m, unmap, err := mapFile(f, int64(len(data)))
	if err != nil {
		t.Skipf("cannot map: %v", err)
	}
	t.Cleanup(unmap)
	if err := os.Truncate(cp, size); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReadTruncatedWhileMapped reads files cut short after they were
// mapped, at several sizes and for each way a file is read: each is an
// error saying the file changed or is malformed, never a crash.
func TestReadTruncatedWhileMapped(t *testing.T) {
	for _, name := range []string{dottedPlugin, hostExe} {
		file := sample(t, name)
		fi, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int64{0, 4096, fi.Size() / 2, fi.Size() - 4096} {
			for _, o := range []readOptions{{}, {hashesOnly: true}, {packages: []string{"runtime", "plugin"}}} {
				m := mapTruncated(t, file, size)
				_, err := readMapped(file, m, o)
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("%s cut to %d bytes, read %+v: got %v, want a malformed file", name, size, o, err)
				}
			}
		}
	}
}

// TestWalkTruncatedWhileMapped walks the dynamic symbols of a host cut
// short after it was mapped, in parallel parts: a fault in a worker is an
// error too.
func TestWalkTruncatedWhileMapped(t *testing.T) {
	file := sample(t, hostExe)
	ef, _ := mapped(t, file)
	defer func(n int) { parallelSymbols = n }(parallelSymbols)
	parallelSymbols = 1
	m := mapTruncated(t, file, 4096)
	err := guardFaults(func() error {
		_, err := dynamicSymbols(ef, m, nil, pkgHashPrefix)
		return err
	})
	if !errors.Is(err, errChanged) || !strings.Contains(err.Error(), "changed while it was read") {
		t.Errorf("walking a truncated mapping: got %v, want an error saying the file changed", err)
	}
}
