package artifact

import (
	"bytes"
	"debug/elf"
	"errors"
	"maps"
	"os"
	"slices"
	"testing"
)

// TestOpenHost holds the looked-up hashes to the walked ones: every
// package of the plugin's the host links, with the same hash, and
// package plugin.
func TestOpenHost(t *testing.T) {
	all, err := Open(sample(t, hostExe))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Open(sample(t, dottedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := append(slices.Sorted(maps.Keys(p.PkgHashes)), "no/such/package")
	h, err := OpenHost(sample(t, hostExe), pkgs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"plugin": all.PkgHashes["plugin"]}
	for _, pkg := range pkgs {
		if hash, ok := all.PkgHashes[pkg]; ok {
			want[pkg] = hash
		}
	}
	if len(want) < 10 || !maps.Equal(h.PkgHashes, want) {
		t.Errorf("OpenHost read %d hashes, want the %d of the walk's %d that the plugin links:\ngot  %v\nwant %v", len(h.PkgHashes), len(want), len(all.PkgHashes), h.PkgHashes, want)
	}
	if err := h.CheckHost(); err != nil {
		t.Error(err)
	}
	// A plugin given as the host is read whole, and refused as a host.
	hp, err := OpenHost(sample(t, dottedPlugin), []string{"runtime"})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(hp.PkgHashes, p.PkgHashes) || !errors.Is(hp.CheckHost(), ErrIsPluginFile) {
		t.Errorf("a plugin read by OpenHost: %d hashes (want %d), CheckHost() = %v", len(hp.PkgHashes), len(p.PkgHashes), hp.CheckHost())
	}
}

// TestGNUHash checks the hash function on the values of the GNU hash
// table's specification.
func TestGNUHash(t *testing.T) {
	for _, tt := range []struct {
		name string
		want uint32
	}{{"", 0x00001505}, {"printf", 0x156b2bb8}, {"exit", 0x7c967e3f}, {"syscall", 0xbac212a0}} {
		if got := gnuHash(tt.name); got != tt.want {
			t.Errorf("gnuHash(%q) = %#x, want %#x", tt.name, got, tt.want)
		}
	}
}

// FuzzReadMapped feeds mutations of real files to the reader of mapped
// files, whole, looking a host's packages up, and a plugin's hashes only: it must return a File or
// one of the package's errors, and never panic or read out of bounds.
func FuzzReadMapped(f *testing.F) {
	f.Add([]byte(elf.ELFMAG))
	if !testing.Short() {
		for _, name := range []string{craftedPlugin, hostExe} {
			data, err := os.ReadFile(sample(f, name))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, o := range []readOptions{{}, {packages: []string{"runtime", "example.com/dep"}}, {hashesOnly: true}} {
			a, err := read("fuzz", &mapping{data: data}, o)
			if err != nil {
				if a != nil {
					t.Fatalf("read returned a File and the error %v", err)
				}
				if !errors.Is(err, ErrNotELF) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoBuildInfo) {
					t.Fatalf("read: unexpected error %v", err)
				}
				continue
			}
			// Mapped or not, the same file reads the same.
			b, err := Read("fuzz", bytes.NewReader(data))
			if o.packages == nil && !o.hashesOnly && (err != nil || !maps.Equal(a.PkgHashes, b.PkgHashes) || !slices.Equal(a.Needed, b.Needed)) {
				t.Fatalf("mapped: %v %v; read: %v %v (%v)", a.PkgHashes, a.Needed, b.PkgHashes, b.Needed, err)
			}
		}
	})
}

// TestDynamicSymbolsInParts holds the walk split among goroutines to the
// walk in one.
func TestDynamicSymbolsInParts(t *testing.T) {
	for _, name := range []string{dottedPlugin, hostExe} {
		one, err := Open(sample(t, name))
		if err != nil {
			t.Fatal(err)
		}
		parallelSymbols = 0
		parts, err := Open(sample(t, name))
		parallelSymbols = 1 << 16
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(one.PkgHashes, parts.PkgHashes) || !maps.Equal(one.Exports, parts.Exports) || len(one.PkgHashes) < 10 {
			t.Errorf("%s: in parts %d hashes, %d exports; in one %d, %d", name, len(parts.PkgHashes), len(parts.Exports), len(one.PkgHashes), len(one.Exports))
		}
	}
}

// TestOpenHashes holds the hashes read from a plugin's two hash sections
// to those of the walk through every symbol.
func TestOpenHashes(t *testing.T) {
	for _, name := range []string{dottedPlugin, unnamedPlugin} {
		all, err := Open(sample(t, name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.ReadFile(sample(t, name))
		if err != nil {
			t.Fatal(err)
		}
		ef, err := elf.NewFile(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, err := hashSymbols(ef, &mapping{data: f}); !ok || err != nil {
			t.Errorf("%s: the hash symbols were not found by their sections (%v)", name, err)
		}
		h, err := OpenHashes(sample(t, name))
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(h.PkgHashes, all.PkgHashes) || h.PluginPath != all.PluginPath || h.Exports != nil {
			t.Errorf("%s: OpenHashes read %d hashes, plugin path %q, exports %v; Open %d, %q", name, len(h.PkgHashes), h.PluginPath, h.Exports, len(all.PkgHashes), all.PluginPath)
		}
	}
}
