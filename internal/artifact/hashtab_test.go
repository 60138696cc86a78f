package artifact

import (
	"bytes"
	"debug/elf"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
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
		ef, m := mapped(t, sample(t, name))
		table, err := readGNUHash(ef, m)
		if err != nil || table == nil {
			t.Fatalf("%s: no hash table read (%v)", name, err)
		}
		if _, ok, err := hashSymbols(ef, m, table); !ok || err != nil {
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

// TestModuleHashes holds the hashes read from a plugin's module data to
// those of the walk through every symbol, for plugins built as a package
// (whose path has an escaped dot) and from files, for amd64 and arm64; and
// finds the module data through the initializer's code as through its
// section.
func TestModuleHashes(t *testing.T) {
	for _, tt := range []struct {
		name string
		file func(testing.TB) string
		want string
	}{
		{"package", func(t testing.TB) string { return sample(t, dottedPlugin) }, "example.com/dotted%2ename"},
		{"files", func(t testing.TB) string { return sample(t, unnamedPlugin) }, ""},
		{"arm64", arm64Plugin, "example.com/dotted%2ename"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file(t)
			all, err := Open(file)
			if err != nil {
				t.Fatal(err)
			}
			ef, m := mapped(t, file)
			path, hashes, ok := moduleHashes(ef, m, tt.want)
			if !ok || !maps.Equal(hashes, all.PkgHashes) || len(hashes) < 10 {
				t.Errorf("module data read %v: %d hashes, the walk %d", ok, len(hashes), len(all.PkgHashes))
			}
			if tt.want == "" && path != all.PluginPath {
				t.Errorf("module data gives plugin path %q, the walk %q", path, all.PluginPath)
			}
			sec := ef.Section(".go.module")
			addr, ok := moduleDataAddr(ef, m)
			if sec == nil || !ok || addr != sec.Addr {
				t.Errorf("module data found by the initializer at %#x (%v), its section is %v", addr, ok, sec)
			}
			// Another plugin path is not believed.
			if _, _, ok := moduleHashes(ef, m, "example.com/other"); ok {
				t.Error("module data read for another plugin path")
			}
			h, err := OpenHashes(file)
			if err != nil || !maps.Equal(h.PkgHashes, all.PkgHashes) || h.PluginPath != all.PluginPath {
				t.Errorf("OpenHashes: %v, %d hashes, plugin path %q; the walk %d, %q", err, len(h.PkgHashes), h.PluginPath, len(all.PkgHashes), all.PluginPath)
			}
		})
	}
}

// TestModuleHashesDamaged damages a plugin's module data in ways a reader
// could misread: each is refused, and OpenHashes reads the same hashes as
// the walk all the same.
func TestModuleHashesDamaged(t *testing.T) {
	file := sample(t, dottedPlugin)
	all, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	ef, m := mapped(t, file)
	sec := ef.Section(".go.module")
	if sec == nil {
		t.Fatal("no .go.module section")
	}
	// The table's place: the slice after the plugin path, a string of 25
	// bytes.
	md := m.data[sec.Offset : sec.Offset+sec.Size]
	at := -1
	for i := 8; i+32 <= len(md); i += 8 {
		const path = "example.com/dotted%2ename"
		if ef.ByteOrder.Uint64(md[i:]) != uint64(len(path)) {
			continue
		}
		if b, err := readAddr(ef, m, ef.ByteOrder.Uint64(md[i-8:]), uint64(len(path))); err == nil && string(b) == path {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatal("no plugin path's length in the module data")
	}
	table := ef.ByteOrder.Uint64(md[at+8:])
	entry, err := readAddr(ef, m, table, 40)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		damage func(data []byte)
		// readable says that the damage leaves the module data to be found
		// and read all the same.
		readable bool
	}{
		{"the section's name", func(data []byte) {
			// Without its section the module data is found through the
			// initializer, and read the same.
			names := ef.Section(".shstrtab")
			i := bytes.Index(data[names.Offset:names.Offset+names.Size], []byte(".go.module\x00"))
			if i < 0 {
				t.Fatal("no .go.module in the section names")
			}
			copy(data[names.Offset+uint64(i):], ".go.modulX")
		}, true},
		{"no packages", func(data []byte) {
			ef.ByteOrder.PutUint64(data[sec.Offset+uint64(at)+16:], 0)
			ef.ByteOrder.PutUint64(data[sec.Offset+uint64(at)+24:], 0)
		}, false},
		{"length and capacity differ", func(data []byte) {
			ef.ByteOrder.PutUint64(data[sec.Offset+uint64(at)+24:], 1<<10)
		}, false},
		{"a table outside the file", func(data []byte) {
			ef.ByteOrder.PutUint64(data[sec.Offset+uint64(at)+8:], 1<<60)
		}, false},
		{"hashes of two lengths", func(data []byte) {
			off := fileOffset(t, ef, table)
			ef.ByteOrder.PutUint64(data[off+24:], ef.ByteOrder.Uint64(entry[24:])+1)
		}, false},
		{"an empty package path", func(data []byte) {
			off := fileOffset(t, ef, table)
			ef.ByteOrder.PutUint64(data[off+8:], 0)
		}, false},
		{"a package path outside the file", func(data []byte) {
			off := fileOffset(t, ef, table)
			ef.ByteOrder.PutUint64(data[off:], 1<<60)
		}, false},
		{"a package twice", func(data []byte) {
			off := fileOffset(t, ef, table)
			copy(data[off+40:off+56], data[off:off+16])
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Clone(m.data)
			tt.damage(data)
			ef, err := elf.NewFile(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			_, hashes, ok := moduleHashes(ef, &mapping{data: data}, "example.com/dotted%2ename")
			if tt.readable {
				if !ok || !maps.Equal(hashes, all.PkgHashes) {
					t.Errorf("undamaged module data not read: %v, %d hashes", ok, len(hashes))
				}
				return
			}
			if ok {
				t.Errorf("damaged module data read: %d hashes", len(hashes))
			}
			f, err := read(file, &mapping{data: data}, readOptions{hashesOnly: true})
			if err != nil || !maps.Equal(f.PkgHashes, all.PkgHashes) {
				t.Errorf("with damaged module data, read: %v, %d hashes; the walk %d", err, len(f.PkgHashes), len(all.PkgHashes))
			}
		})
	}
}

// mapped reads a file whole, as a mapping the reader slices in place.
func mapped(t testing.TB, file string) (*elf.File, *mapping) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return ef, &mapping{data: data}
}

// fileOffset is the file offset of virtual address addr.
func fileOffset(t testing.TB, ef *elf.File, addr uint64) uint64 {
	t.Helper()
	s := sectionAt(ef, addr)
	if s == nil {
		t.Fatalf("address %#x in no section", addr)
	}
	return s.Offset + addr - s.Addr
}

// TestGNUHashDamaged damages each field of a host's GNU hash table in ways
// a reader could take for a host linking fewer packages (measured: a host
// with bloom_shift 0xff was called compatible, sharing 12 of its 67
// packages, and then could not load the plugin). Each is refused as
// malformed, naming the field, by OpenHost's lookups and by a walk alike.
func TestGNUHashDamaged(t *testing.T) {
	file := sample(t, hostExe)
	p, err := Open(sample(t, dottedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := slices.Sorted(maps.Keys(p.PkgHashes))
	ef, m := mapped(t, file)
	sec := ef.SectionByType(elf.SHT_GNU_HASH)
	if sec == nil {
		t.Fatal("no .gnu.hash section")
	}
	order := ef.ByteOrder
	at := sec.Offset
	nbuckets := uint64(order.Uint32(m.data[at:]))
	symoffset := order.Uint32(m.data[at+4:])
	bloomSize := uint64(order.Uint32(m.data[at+8:]))
	bloomEnd := at + 16 + bloomSize*8
	chains := bloomEnd + nbuckets*4
	put := func(off uint64, v uint32) func([]byte) {
		return func(data []byte) { order.PutUint32(data[off:], v) }
	}
	// A bucket of one of the packages the host links.
	bucket := uint64(gnuHash(pkgHashPrefix+"runtime")) % nbuckets
	first := order.Uint32(m.data[bloomEnd+bucket*4:])
	for _, tt := range []struct {
		name   string
		damage func(data []byte)
		want   string
	}{
		{"nbuckets 0", put(at, 0), "nbuckets is 0"},
		{"nbuckets 0xffffffff", put(at, 0xffffffff), "fewer than the"},
		{"nbuckets one more", put(at, uint32(nbuckets)+1), ".gnu.hash: "},
		{"symoffset 0xffffffff", put(at+4, 0xffffffff), "symoffset"},
		{"symoffset 0", put(at+4, 0), "symoffset"},
		{"symoffset one more", put(at+4, symoffset+1), ".gnu.hash"},
		{"symoffset one less", put(at+4, symoffset-1), ".gnu.hash: "},
		{"bloom_size 0", put(at+8, 0), "bloom_size 0 is not a power of two"},
		{"bloom_size 0xffffffff", put(at+8, 0xffffffff), "bloom_size"},
		{"bloom_size 3", put(at+8, 3), "bloom_size 3 is not a power of two"},
		{"bloom_size twice", put(at+8, uint32(bloomSize)*2), "fewer than the"},
		{"bloom_shift 0xff", put(at+12, 0xff), "bloom_shift 255"},
		{"bloom_shift 32", put(at+12, 32), "bloom_shift 32"},
		{"bloom filter cleared", func(data []byte) { clear(data[at+16 : bloomEnd]) }, "bloom filter leaves out"},
		{"a bucket past the symbols", put(bloomEnd+bucket*4, 0xfffffff0), "outside the hashed symbols"},
		{"a bucket before symoffset", put(bloomEnd+bucket*4, symoffset-1), "outside the hashed symbols"},
		{"a bucket emptied", put(bloomEnd+bucket*4, 0), ".gnu.hash"},
		{"a chain without its end", func(data []byte) {
			for off := chains; off+4 <= at+sec.Size; off += 4 {
				order.PutUint32(data[off:], order.Uint32(data[off:])&^1)
			}
		}, "hashes to another bucket"},
		{"a chain's hash of another bucket", put(chains+uint64(first-symoffset)*4, uint32(bucket+1)), "hashes to another bucket"},
		{"the header cut off", func(data []byte) {
			// The section's size in its header: 8 bytes.
			shoff := order.Uint64(data[0x28:])
			idx := uint64(slices.Index(ef.Sections, sec))
			order.PutUint64(data[shoff+idx*64+32:], 8)
		}, "less than its 16-byte header"},
		{"sh_link of another section", func(data []byte) {
			shoff := order.Uint64(data[0x28:])
			idx := uint64(slices.Index(ef.Sections, sec))
			order.PutUint32(data[shoff+idx*64+40:], 1)
		}, "sh_link 1 is not the dynamic symbol table"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Clone(m.data)
			tt.damage(data)
			for _, o := range []readOptions{{packages: pkgs}, {}} {
				_, err := read(file, &mapping{data: data}, o)
				if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("read %+v: got %v, want a malformed file, saying %q", o.packages != nil, err, tt.want)
				}
			}
		})
	}
}

// TestSymbolTablesDamaged damages a host's dynamic symbol table and the
// hash symbols it defines: a symbol whose name lies past the string table,
// a string table without its last NUL, a hash of no size or outside its
// section. Each is refused as malformed, never read as a file linking
// fewer packages. Looked up through the hash table, a name the lookups
// never read may go unseen, and one they cannot find is refused for
// that.
func TestSymbolTablesDamaged(t *testing.T) {
	file := sample(t, hostExe)
	ef, m := mapped(t, file)
	symtab := ef.SectionByType(elf.SHT_DYNSYM)
	strtab := ef.Sections[symtab.Link]
	order := ef.ByteOrder
	// The entry of the runtime's hash symbol, found by its name.
	entry := uint64(0)
	for off := symtab.Offset + elf.Sym64Size; off < symtab.Offset+symtab.Size; off += elf.Sym64Size {
		name := strtab.Offset + uint64(order.Uint32(m.data[off:]))
		if bytes.HasPrefix(m.data[name:], []byte(pkgHashPrefix+"runtime\x00")) {
			entry = off
		}
	}
	if entry == 0 {
		t.Fatal("no runtime hash symbol")
	}
	for _, tt := range []struct {
		name   string
		damage func(data []byte)
		want   string
		// lookup is what reading through the hash table says; "" when
		// it may read the file.
		lookup string
	}{
		{"a name past the string table", func(data []byte) {
			order.PutUint32(data[symtab.Offset+2*elf.Sym64Size:], uint32(strtab.Size)+10)
		}, "past the", ""},
		{"a string table without its last NUL", func(data []byte) {
			// The last name's NUL, and the runtime's hash symbol named
			// by the last bytes.
			last := strtab.Offset + strtab.Size - 1
			data[last] = 'x'
			start := last - uint64(len(pkgHashPrefix))
			copy(data[start:], pkgHashPrefix)
			order.PutUint32(data[entry:], uint32(start-strtab.Offset))
		}, "runs past the end of its string table", "does not lead to go:link.pkghashbytes.runtime"},
		{"a hash of no size", func(data []byte) { order.PutUint64(data[entry+16:], 0) }, "the hash of package runtime", "the hash of package runtime"},
		{"a hash of 4096 bytes", func(data []byte) { order.PutUint64(data[entry+16:], 4096) }, "the hash of package runtime", "the hash of package runtime"},
		{"a hash outside its section", func(data []byte) { order.PutUint64(data[entry+8:], 1<<40) }, "the hash of package runtime", "the hash of package runtime"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Clone(m.data)
			tt.damage(data)
			_, err := read(file, &mapping{data: data}, readOptions{})
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("walked: got %v, want a malformed file, saying %q", err, tt.want)
			}
			_, err = read(file, &mapping{data: data}, readOptions{packages: []string{"runtime"}})
			if tt.lookup != "" && (!errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.lookup)) {
				t.Errorf("looked up: got %v, want a malformed file, saying %q", err, tt.lookup)
			}
		})
	}
}
