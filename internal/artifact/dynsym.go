package artifact

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
)

// parallelSymbols is the size of a symbol table from which on it is
// walked by several goroutines.
var parallelSymbols = 1 << 16

// dynamicSymbols returns the dynamic symbols whose names start with one of
// prefixes. A host of 100 MB exports some 300,000 dynamic symbols, of
// which a thousand are wanted, and debug/elf's DynamicSymbols makes a
// string of every name. This compares each name's first bytes with the
// prefixes where it stands in the string table: no string is made but for
// the symbols wanted, and from a mapping neither table is copied.
//
// only, when set, picks the symbols worth reading the names of from their
// table entries alone, before any name is read.
func dynamicSymbols(ef *elf.File, r io.ReaderAt, only *objectFilter, prefixes ...string) ([]elf.Symbol, error) {
	symtab := ef.SectionByType(elf.SHT_DYNSYM)
	if symtab == nil {
		return nil, nil
	}
	if int(symtab.Link) >= len(ef.Sections) || symtab.Link == 0 {
		return nil, fmt.Errorf("dynamic symbol table links to section %d, which does not exist", symtab.Link)
	}
	data, err := sectionBytes(r, symtab, true)
	if err != nil {
		return nil, fmt.Errorf("reading dynamic symbols: %w", err)
	}
	// Filtered, only a few names are read.
	strtab, err := sectionBytes(r, ef.Sections[symtab.Link], only == nil)
	if err != nil {
		return nil, fmt.Errorf("reading dynamic symbol names: %w", err)
	}
	var size int
	switch ef.Class {
	case elf.ELFCLASS64:
		size = elf.Sym64Size
	case elf.ELFCLASS32:
		size = elf.Sym32Size
	default:
		return nil, errors.New("unknown ELF class")
	}
	le := ef.ByteOrder == binary.LittleEndian
	n := len(data) / size
	if only != nil {
		// Few symbols pass the filter: their names are read as found. The
		// entry alone rules out nearly every symbol, so it is tested
		// first, and the name's offset read only for the few kept. The
		// walk is not split among goroutines: measured on a busy machine,
		// the command then waits for a second core longer than the split
		// saves.
		var syms []elf.Symbol
		for i := 1; i < n; i++ {
			e := data[i*size : (i+1)*size : (i+1)*size]
			if !only.keep(e, le) {
				continue
			}
			off := uint64(u32(e, le))
			if off >= uint64(len(strtab)) {
				return nil, badName(i, off, len(strtab))
			}
			if !hasPrefix(strtab[off:], prefixes) {
				continue
			}
			end := bytes.IndexByte(strtab[off:], 0)
			if end < 0 {
				return nil, fmt.Errorf(".dynsym: symbol %d's name runs past the end of its string table", i)
			}
			syms = append(syms, decodeSym(ef, e, string(strtab[off:off+uint64(end)])))
		}
		return syms, nil
	}
	// The names lie all over the string table, in no order of the
	// symbols'. Visited in symbol order, nearly every name is a cache miss
	// (300,000 of them in a host); so the symbols are first sorted by the
	// block of the string table their names are in, a counting sort, and
	// the names then read block by block. Each step is split among a few
	// workers, each taking one part of the symbols.
	const blockBits = 15
	blocks := len(strtab)>>blockBits + 1
	parts := 1
	if n > parallelSymbols {
		parts = min(runtime.GOMAXPROCS(0), 4)
	}
	bounds := func(p int) (int, int) { return 1 + (n-1)*p/parts, 1 + (n-1)*(p+1)/parts } // entry 0 is the undefined symbol
	counts := make([][]int, parts)
	bad := make([]error, parts)
	if err := each(parts, func(p int) {
		c := make([]int, blocks)
		from, to := bounds(p)
		for i := from; i < to; i++ {
			off := u32(data[i*size:], le)
			if int64(off) >= int64(len(strtab)) {
				bad[p] = badName(i, uint64(off), len(strtab))
				return
			}
			c[off>>blockBits]++
		}
		counts[p] = c
	}); err != nil {
		return nil, err
	}
	if err := errors.Join(bad...); err != nil {
		return nil, err
	}
	// Part p's symbols of block b go after those of the parts before it,
	// after every symbol of the blocks before b.
	total := 0
	for b := range blocks {
		for p := range parts {
			c := counts[p][b]
			counts[p][b] = total
			total += c
		}
	}
	sorted := make([]uint64, total)
	if err := each(parts, func(p int) {
		at := counts[p]
		from, to := bounds(p)
		for i := from; i < to; i++ {
			if off := u32(data[i*size:], le); int64(off) < int64(len(strtab)) {
				b := off >> blockBits
				sorted[at[b]] = uint64(off)<<32 | uint64(i)
				at[b]++
			}
		}
	}); err != nil {
		return nil, err
	}
	found := make([][]elf.Symbol, parts)
	if err := each(parts, func(p int) {
		for _, si := range sorted[len(sorted)*p/parts : len(sorted)*(p+1)/parts] {
			off, i := si>>32, int(uint32(si))
			if !hasPrefix(strtab[off:], prefixes) {
				continue
			}
			name := strtab[off:]
			end := bytes.IndexByte(name, 0)
			if end < 0 {
				bad[p] = fmt.Errorf(".dynsym: symbol %d's name runs past the end of its string table", i)
				return
			}
			found[p] = append(found[p], decodeSym(ef, data[i*size:(i+1)*size], string(name[:end])))
		}
	}); err != nil {
		return nil, err
	}
	if err := errors.Join(bad...); err != nil {
		return nil, err
	}
	syms := slices.Concat(found...)
	return syms, nil
}

// badName is the error of symbol i, whose name is said to be at off in a
// string table of n bytes, past its end.
func badName(i int, off uint64, n int) error {
	return fmt.Errorf(".dynsym: symbol %d's name is at %d, past the %d bytes of its string table", i, off, n)
}

// neededLibraries returns the DT_NEEDED entries of the dynamic section,
// as debug/elf's ImportedLibraries does, but reading only the names it
// returns from the string table rather than copying all of it.
func neededLibraries(ef *elf.File, r io.ReaderAt) ([]string, error) {
	dyn := ef.SectionByType(elf.SHT_DYNAMIC)
	if dyn == nil {
		return nil, nil
	}
	if int(dyn.Link) >= len(ef.Sections) || dyn.Link == 0 {
		return nil, fmt.Errorf("dynamic section links to section %d, which does not exist", dyn.Link)
	}
	data, err := sectionBytes(r, dyn, true)
	if err != nil {
		return nil, err
	}
	strsec := ef.Sections[dyn.Link]
	var size int
	switch ef.Class {
	case elf.ELFCLASS64:
		size = 16
	case elf.ELFCLASS32:
		size = 8
	default:
		return nil, errors.New("unknown ELF class")
	}
	var libs []string
	for off := 0; off+size <= len(data); off += size {
		var tag, val uint64
		if size == 16 {
			tag, val = ef.ByteOrder.Uint64(data[off:]), ef.ByteOrder.Uint64(data[off+8:])
		} else {
			tag, val = uint64(ef.ByteOrder.Uint32(data[off:])), uint64(ef.ByteOrder.Uint32(data[off+4:]))
		}
		if elf.DynTag(tag) == elf.DT_NULL {
			break
		}
		if elf.DynTag(tag) != elf.DT_NEEDED {
			continue
		}
		name, err := cString(r, strsec, val)
		if err != nil {
			return nil, err
		}
		libs = append(libs, name)
	}
	return libs, nil
}

// cString reads the NUL-terminated string at off in a string table
// section, reading only its bytes (up to a limit no library name reaches).
func cString(r io.ReaderAt, sec *elf.Section, off uint64) (string, error) {
	if sec.Type == elf.SHT_NOBITS || off >= sec.Size {
		return "", fmt.Errorf("string at %d is outside the %d-byte string table", off, sec.Size)
	}
	buf := make([]byte, min(4096, sec.Size-off))
	var n int
	err := guard(func() (err error) { n, err = sec.ReadAt(buf, int64(off)); return err })
	if n < len(buf) && err != nil {
		return "", fmt.Errorf("reading string at %d: %w", off, err)
	}
	end := bytes.IndexByte(buf, 0)
	if end < 0 {
		return "", fmt.Errorf("string at %d has no end", off)
	}
	return string(buf[:end]), nil
}

// hasPrefix tells whether the NUL-terminated name at the start of b
// starts with one of prefixes.
func hasPrefix(b []byte, prefixes []string) bool {
	for _, p := range prefixes {
		if len(b) >= len(p) && b[0] == p[0] && string(b[:len(p)]) == p {
			return true
		}
	}
	return false
}

// decodeSym decodes the symbol table entry e, of the file's class.
func decodeSym(ef *elf.File, e []byte, name string) elf.Symbol {
	order := ef.ByteOrder
	s := elf.Symbol{Name: name}
	if ef.Class == elf.ELFCLASS64 {
		s.Info, s.Other = e[4], e[5]
		s.Section = elf.SectionIndex(order.Uint16(e[6:]))
		s.Value, s.Size = order.Uint64(e[8:]), order.Uint64(e[16:])
	} else {
		s.Value, s.Size = uint64(order.Uint32(e[4:])), uint64(order.Uint32(e[8:]))
		s.Info, s.Other = e[12], e[13]
		s.Section = elf.SectionIndex(order.Uint16(e[14:]))
	}
	return s
}

// u32 decodes a 32-bit word. binary.ByteOrder's methods, called through
// the interface, are not inlined: over 300,000 symbols that shows.
func u32(b []byte, le bool) uint32 {
	if le {
		return binary.LittleEndian.Uint32(b)
	}
	return binary.BigEndian.Uint32(b)
}

// u64 decodes a 64-bit word, as u32 does.
func u64(b []byte, le bool) uint64 {
	if le {
		return binary.LittleEndian.Uint64(b)
	}
	return binary.BigEndian.Uint64(b)
}

// each runs f for 0..n-1, at the same time, and waits for all. f reads a
// mapping, which can fault: in a goroutine of its own, a fault is turned
// into the error each returns, as [guardFaults] does in the caller's.
func each(n int, f func(int)) error {
	if n == 1 {
		f(0)
		return nil
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for p := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[p] = guardFaults(func() error { f(p); return nil })
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// An objectFilter keeps the data objects of one size in one section, or
// of another size in another, from their 64-bit symbol table entries.
type objectFilter struct {
	secA, secB   elf.SectionIndex
	sizeA, sizeB uint64
}

func (f *objectFilter) keep(e []byte, le bool) bool {
	if len(e) < elf.Sym64Size || elf.ST_TYPE(e[4]) != elf.STT_OBJECT {
		return false
	}
	var sec elf.SectionIndex
	var size uint64
	if le {
		sec, size = elf.SectionIndex(binary.LittleEndian.Uint16(e[6:])), binary.LittleEndian.Uint64(e[16:])
	} else {
		sec, size = elf.SectionIndex(binary.BigEndian.Uint16(e[6:])), binary.BigEndian.Uint64(e[16:])
	}
	return (sec == f.secA && size == f.sizeA) || (sec == f.secB && size == f.sizeB)
}
