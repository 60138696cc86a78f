package artifact

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
)

// dynamicSymbols returns the dynamic symbols whose names start with one of
// prefixes. A host of 100 MB exports some 300,000 dynamic symbols, and
// debug/elf's DynamicSymbols makes a string of every name; this reads the
// symbol table in place and makes strings of the few that are wanted,
// which takes a tenth of the time.
func dynamicSymbols(ef *elf.File, prefixes ...string) ([]elf.Symbol, error) {
	symtab := ef.SectionByType(elf.SHT_DYNSYM)
	if symtab == nil {
		return nil, nil
	}
	if int(symtab.Link) >= len(ef.Sections) || symtab.Link == 0 {
		return nil, fmt.Errorf("dynamic symbol table links to section %d, which does not exist", symtab.Link)
	}
	var data, strtab []byte
	if err := guard(func() (err error) { data, err = symtab.Data(); return err }); err != nil {
		return nil, fmt.Errorf("reading dynamic symbols: %w", err)
	}
	if err := guard(func() (err error) { strtab, err = ef.Sections[symtab.Link].Data(); return err }); err != nil {
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
	// Find the wanted names in the string table first: one fast search
	// through it beats following 300,000 name offsets all over it. A name
	// may start inside a longer one (linkers share common tails), so
	// every place a prefix occurs counts.
	wanted := map[uint32]bool{}
	for _, p := range prefixes {
		for i := 0; i < len(strtab); {
			j := bytes.Index(strtab[i:], []byte(p))
			if j < 0 || uint64(i+j) > uint64(^uint32(0)) {
				break
			}
			wanted[uint32(i+j)] = true
			i += j + 1
		}
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	order := ef.ByteOrder
	var syms []elf.Symbol
	// The first entry is the undefined symbol.
	for off := size; off+size <= len(data); off += size {
		e := data[off : off+size]
		nameOff := order.Uint32(e)
		if !wanted[nameOff] {
			continue
		}
		name := strtab[nameOff:]
		end := bytes.IndexByte(name, 0)
		if end < 0 {
			continue
		}
		s := elf.Symbol{Name: string(name[:end])}
		if ef.Class == elf.ELFCLASS64 {
			s.Info, s.Other = e[4], e[5]
			s.Section = elf.SectionIndex(order.Uint16(e[6:]))
			s.Value, s.Size = order.Uint64(e[8:]), order.Uint64(e[16:])
		} else {
			s.Value, s.Size = uint64(order.Uint32(e[4:])), uint64(order.Uint32(e[8:]))
			s.Info, s.Other = e[12], e[13]
			s.Section = elf.SectionIndex(order.Uint16(e[14:]))
		}
		syms = append(syms, s)
	}
	return syms, nil
}
