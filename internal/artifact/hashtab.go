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

// lookup finds the named dynamic symbols through the file's GNU hash
// table (.gnu.hash), the table the dynamic loader itself looks names up
// in: a few reads per name, where walking a host's 300,000 symbols for a
// plugin's thousand packages reads every one. Names not defined in the
// file are left out.
//
// A name the table does not lead to is taken as absent, so a table whose
// fields do not add up is refused, naming the field, rather than read as
// a file that links fewer packages: its header is checked against its
// size and the symbol table's, each bucket and chain visited against the
// symbols, each chain's hashes against its bucket, and the bloom filter
// against each name found.
func (t *gnuTable) lookup(ef *elf.File, names []string) (syms []elf.Symbol, err error) {
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
		queries[i] = query{uint64(h) % t.nbuckets, h, name}
	}
	slices.SortFunc(queries, func(a, b query) int { return cmp.Compare(a.bucket, b.bucket) })
	for _, q := range queries {
		h, name := q.hash, q.name
		idx, err := t.bucket(q.bucket)
		if err != nil {
			return nil, err
		}
		if idx == 0 {
			continue // an empty bucket
		}
		for ; ; idx++ {
			ch, err := t.chain(idx, q.bucket)
			if err != nil {
				return nil, err
			}
			if ch|1 == h|1 {
				e := t.syms[idx*elf.Sym64Size : (idx+1)*elf.Sym64Size]
				nameOff := uint64(u32(e, t.le))
				if nameOff >= uint64(len(t.strtab)) {
					return nil, badName(int(idx), nameOff, len(t.strtab))
				}
				if end := nameOff + uint64(len(name)); end < uint64(len(t.strtab)) && t.strtab[end] == 0 && string(t.strtab[nameOff:end]) == name {
					if !t.admits(h) {
						return nil, fmt.Errorf(".gnu.hash: the bloom filter leaves out %s, which the table holds, so the dynamic loader would not find it: bloom_shift or the filter is damaged", name)
					}
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
	return syms, nil
}

// A gnuTable is a GNU hash table, its header checked, and the tables it
// indexes.
type gnuTable struct {
	htab, syms, strtab                    []byte
	le                                    bool
	nbuckets, symoffset, bloomSize, nsyms uint64
	bloomShift                            uint32
	bloomEnd, bucketsEnd                  uint64
}

// readGNUHash reads a 64-bit file's GNU hash table, or returns nil when
// it has none this can use; then its symbols are read by walking the
// symbol table instead. The dynamic loader finds every symbol through the
// table: one whose header does not add up is a file it cannot load,
// whichever way its symbols are read.
func readGNUHash(ef *elf.File, r io.ReaderAt) (t *gnuTable, err error) {
	hsec := ef.SectionByType(elf.SHT_GNU_HASH)
	symtab := ef.SectionByType(elf.SHT_DYNSYM)
	if hsec == nil || symtab == nil || ef.Class != elf.ELFCLASS64 {
		return nil, nil
	}
	if int(symtab.Link) >= len(ef.Sections) || symtab.Link == 0 {
		return nil, fmt.Errorf("dynamic symbol table links to section %d, which does not exist", symtab.Link)
	}
	if int(hsec.Link) >= len(ef.Sections) || ef.Sections[hsec.Link] != symtab {
		return nil, fmt.Errorf(".gnu.hash: sh_link %d is not the dynamic symbol table", hsec.Link)
	}
	t = &gnuTable{le: ef.ByteOrder == binary.LittleEndian}
	if t.htab, err = sectionBytes(r, hsec, false); err != nil {
		return nil, fmt.Errorf("reading the dynamic symbol hash table: %w", err)
	}
	if t.syms, err = sectionBytes(r, symtab, false); err != nil {
		return nil, fmt.Errorf("reading dynamic symbols: %w", err)
	}
	if t.strtab, err = sectionBytes(r, ef.Sections[symtab.Link], false); err != nil {
		return nil, fmt.Errorf("reading dynamic symbol names: %w", err)
	}
	if len(t.syms)%elf.Sym64Size != 0 {
		return nil, fmt.Errorf(".dynsym: %d bytes, not a whole number of %d-byte symbols", len(t.syms), elf.Sym64Size)
	}
	if len(t.htab) < 16 {
		return nil, fmt.Errorf(".gnu.hash: %d bytes, less than its 16-byte header", len(t.htab))
	}
	t.nbuckets = uint64(u32(t.htab, t.le))
	t.symoffset = uint64(u32(t.htab[4:], t.le))
	t.bloomSize = uint64(u32(t.htab[8:], t.le))
	t.bloomShift = u32(t.htab[12:], t.le)
	t.nsyms = uint64(len(t.syms) / elf.Sym64Size)
	t.bloomEnd = 16 + t.bloomSize*8
	t.bucketsEnd = t.bloomEnd + t.nbuckets*4
	switch {
	case t.nbuckets == 0:
		return nil, fmt.Errorf(".gnu.hash: nbuckets is 0")
	case t.bloomSize == 0 || t.bloomSize&(t.bloomSize-1) != 0:
		return nil, fmt.Errorf(".gnu.hash: bloom_size %d is not a power of two", t.bloomSize)
	case t.bloomShift >= 32:
		return nil, fmt.Errorf(".gnu.hash: bloom_shift %d leaves none of a 32-bit hash", t.bloomShift)
	case t.symoffset == 0 || t.symoffset > t.nsyms:
		return nil, fmt.Errorf(".gnu.hash: symoffset %d is not one of the %d dynamic symbols", t.symoffset, t.nsyms)
	case t.bucketsEnd+(t.nsyms-t.symoffset)*4 > uint64(len(t.htab)):
		return nil, fmt.Errorf(".gnu.hash: %d bytes, fewer than the %d its nbuckets %d, bloom_size %d and %d hashed symbols take", len(t.htab), t.bucketsEnd+(t.nsyms-t.symoffset)*4, t.nbuckets, t.bloomSize, t.nsyms-t.symoffset)
	}
	return t, nil
}

// bucket returns the first symbol of bucket b's chain, 0 for none.
func (t *gnuTable) bucket(b uint64) (uint64, error) {
	idx := uint64(u32(t.htab[t.bloomEnd+b*4:], t.le))
	if idx != 0 && (idx < t.symoffset || idx >= t.nsyms) {
		return 0, fmt.Errorf(".gnu.hash: bucket %d starts at symbol %d, outside the hashed symbols %d to %d", b, idx, t.symoffset, t.nsyms-1)
	}
	return idx, nil
}

// chain returns the chain's word of symbol idx, in bucket b's chain: its
// hash, the low bit set on the chain's last.
func (t *gnuTable) chain(idx, b uint64) (uint32, error) {
	if idx >= t.nsyms {
		return 0, fmt.Errorf(".gnu.hash: the chain of bucket %d runs past the last symbol", b)
	}
	ch := u32(t.htab[t.bucketsEnd+(idx-t.symoffset)*4:], t.le)
	// The low bit is the end-of-chain mark: the hash is one of two.
	if uint64(ch&^1)%t.nbuckets != b && uint64(ch|1)%t.nbuckets != b {
		return 0, fmt.Errorf(".gnu.hash: symbol %d, in the chain of bucket %d, hashes to another bucket: nbuckets or symoffset is wrong", idx, b)
	}
	return ch, nil
}

// admits tells whether the bloom filter lets a name of hash h through.
func (t *gnuTable) admits(h uint32) bool {
	word := u64(t.htab[16+(uint64(h)/64%t.bloomSize)*8:], t.le)
	mask := uint64(1)<<(h%64) | uint64(1)<<((h>>t.bloomShift)%64)
	return word&mask == mask
}

// checkChains checks every bucket and chain: each bucket's chain starts
// after the last one's, within the symbols, holds only hashes of its
// bucket, and ends; together they hold every hashed symbol once.
func (t *gnuTable) checkChains() error {
	next := t.symoffset
	for b := range t.nbuckets {
		idx, err := t.bucket(b)
		if err != nil {
			return err
		}
		if idx == 0 {
			continue
		}
		if idx != next {
			return fmt.Errorf(".gnu.hash: bucket %d starts at symbol %d, where the chains before it leave off at %d", b, idx, next)
		}
		for ; ; idx++ {
			ch, err := t.chain(idx, b)
			if err != nil {
				return err
			}
			if ch&1 != 0 {
				break
			}
		}
		next = idx + 1
	}
	if next != t.nsyms {
		return fmt.Errorf(".gnu.hash: its chains hold symbols %d to %d, but there are %d symbols", t.symoffset, next-1, t.nsyms)
	}
	return nil
}

// check checks a file's GNU hash table whole, and that it leads to each
// defined symbol of syms, read by walking the symbol table: the dynamic
// loader finds symbols only through it, so a file whose table leaves out
// one it defines cannot be loaded as the walk would say.
func (t *gnuTable) check(ef *elf.File, syms []elf.Symbol) error {
	if err := t.checkChains(); err != nil {
		return err
	}
	var names []string
	for _, s := range syms {
		if s.Section != elf.SHN_UNDEF {
			names = append(names, s.Name)
		}
	}
	found, err := t.lookup(ef, names)
	if err != nil {
		return err
	}
	at := make(map[string]bool, len(found))
	for _, s := range found {
		at[s.Name] = true
	}
	for _, name := range names {
		if !at[name] {
			return fmt.Errorf(".gnu.hash does not lead to %s, which .dynsym defines: the dynamic loader would not find it", name)
		}
	}
	return nil
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
// silently. t is the file's hash table.
func hashSymbols(ef *elf.File, r io.ReaderAt, t *gnuTable) (syms []elf.Symbol, ok bool, err error) {
	runtime, err := t.lookup(ef, []string{pkgHashPrefix + "runtime", pkgNamePrefix + "runtime"})
	if err != nil || len(runtime) != 2 {
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
