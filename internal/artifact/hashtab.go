package artifact

import (
	"cmp"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// lookupSymbols finds the named dynamic symbols through the file's GNU
// hash table (.gnu.hash), the table the dynamic loader itself looks
// names up in: a few reads per name, where walking a host's 300,000
// symbols for a plugin's thousand packages reads every one. Names not
// defined in the file are left out. ok is false when the file has no hash
// table this can use; then the caller walks the symbol table instead.
func lookupSymbols(ef *elf.File, r io.ReaderAt, names []string) (syms []elf.Symbol, ok bool, err error) {
	hsec := ef.SectionByType(elf.SHT_GNU_HASH)
	symtab := ef.SectionByType(elf.SHT_DYNSYM)
	if hsec == nil || symtab == nil || ef.Class != elf.ELFCLASS64 || int(symtab.Link) >= len(ef.Sections) || symtab.Link == 0 {
		return nil, false, nil
	}
	if int(hsec.Link) < len(ef.Sections) && ef.Sections[hsec.Link] != symtab {
		return nil, false, nil
	}
	htab, err := sectionBytes(r, hsec, false)
	if err != nil {
		return nil, false, fmt.Errorf("reading the dynamic symbol hash table: %w", err)
	}
	data, err := sectionBytes(r, symtab, false)
	if err != nil {
		return nil, false, fmt.Errorf("reading dynamic symbols: %w", err)
	}
	strtab, err := sectionBytes(r, ef.Sections[symtab.Link], false)
	if err != nil {
		return nil, false, fmt.Errorf("reading dynamic symbol names: %w", err)
	}
	if len(htab) < 16 {
		return nil, false, nil
	}
	le := ef.ByteOrder == binary.LittleEndian
	nbuckets := uint64(u32(htab, le))
	symoffset := uint64(u32(htab[4:], le))
	bloomSize := uint64(u32(htab[8:], le))
	bloomShift := u32(htab[12:], le)
	bloomEnd := 16 + bloomSize*8
	bucketsEnd := bloomEnd + nbuckets*4
	if nbuckets == 0 || bloomSize == 0 || bucketsEnd > uint64(len(htab)) {
		return nil, false, nil
	}
	nsyms := uint64(len(data) / elf.Sym64Size)
	// Looked up in the order of their buckets, the names' chains and
	// symbols are visited from the start of their tables to the end, as
	// the pages holding them are mapped in, rather than in random order.
	type query struct {
		bucket uint64
		hash   uint32
		name   string
	}
	queries := make([]query, len(names))
	for i, name := range names {
		h := gnuHash(name)
		queries[i] = query{uint64(h) % nbuckets, h, name}
	}
	slices.SortFunc(queries, func(a, b query) int { return cmp.Compare(a.bucket, b.bucket) })
	for _, q := range queries {
		h, name := q.hash, q.name
		word := u64(htab[16+(uint64(h)/64%bloomSize)*8:], le)
		mask := uint64(1)<<(h%64) | uint64(1)<<((h>>bloomShift)%64)
		if word&mask != mask {
			continue
		}
		idx := uint64(u32(htab[bloomEnd+q.bucket*4:], le))
		if idx < symoffset {
			continue
		}
		for ; idx < nsyms; idx++ {
			at := bucketsEnd + (idx-symoffset)*4
			if at+4 > uint64(len(htab)) {
				return nil, false, fmt.Errorf("dynamic symbol hash table: chain of symbol %d past its end", idx)
			}
			ch := u32(htab[at:], le)
			if ch|1 == h|1 {
				e := data[idx*elf.Sym64Size : (idx+1)*elf.Sym64Size]
				nameOff := uint64(u32(e, le))
				if end := nameOff + uint64(len(name)); end < uint64(len(strtab)) && strtab[end] == 0 && string(strtab[nameOff:end]) == name {
					if s := decodeSym(ef, e, name); s.Section != elf.SHN_UNDEF {
						syms = append(syms, s)
					}
					break
				}
			}
			if ch&1 != 0 {
				break
			}
		}
	}
	return syms, true, nil
}

// gnuHash is the GNU hash function (the one of dl_new_hash).
func gnuHash(name string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(name); i++ {
		h = h*33 + uint32(name[i])
	}
	return h
}

// pkgNamePrefix names the other symbol the linker makes for each package
// a file links: the hash as a Go string.
const pkgNamePrefix = "go:link.pkghash."

// hashSymbols finds a plugin's package hash symbols without reading the
// names of all its dynamic symbols. The linker makes the symbols
// named go:link.pkghashbytes.* alike (read-only data of the hash's size)
// and every go:link.pkghash.* alike (a string header), so each kind lies
// in the section where the runtime's does, with the runtime's size; only
// the data objects of those sections and sizes need their names read,
// some two thousand of 300,000.
// The two kinds must then name the same packages, or ok is false and the
// caller walks every symbol: a hash in some other section is never missed
// silently.
func hashSymbols(ef *elf.File, r io.ReaderAt) (syms []elf.Symbol, ok bool, err error) {
	runtime, ok, err := lookupSymbols(ef, r, []string{pkgHashPrefix + "runtime", pkgNamePrefix + "runtime"})
	if err != nil || !ok || len(runtime) != 2 {
		return nil, false, err
	}
	only := &objectFilter{runtime[0].Section, runtime[1].Section, runtime[0].Size, runtime[1].Size}
	all, err := dynamicSymbols(ef, r, only, pkgHashPrefix, pkgNamePrefix)
	if err != nil {
		return nil, false, err
	}
	bytes, names := map[string]bool{}, map[string]bool{}
	for _, s := range all {
		if pkg, ok := strings.CutPrefix(s.Name, pkgHashPrefix); ok {
			bytes[pkg] = true
			syms = append(syms, s)
		} else if pkg, ok := strings.CutPrefix(s.Name, pkgNamePrefix); ok {
			names[pkg] = true
		}
	}
	if len(bytes) == 0 || !maps.Equal(bytes, names) {
		return nil, false, nil
	}
	return syms, true, nil
}
