package artifact

import (
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits on what a plugin's module data may say, past which it is not
// believed: the reader then walks the symbol table instead.
const (
	maxModulePackages = 1 << 20
	maxPathLen        = 4096
	// maxModuleData bounds the module data read when only its start is
	// known (files without a .go.module section): it is some 600 bytes.
	maxModuleData = 2048
)

// moduleHashes reads a plugin's package hashes from its module data, the
// runtime's own record of the file: moduledata.pkghashes lists each
// package the plugin links with the hash it was linked against, and is
// exactly what plugin.Open compares with the host's. It is one table of
// some thousand entries, where the dynamic symbols holding the same
// hashes are scattered among 300,000 others, all of which would have to
// be visited; reading it touches a few pages of the file.
//
// The module data is found in its .go.module section (Go 1.26 on), or
// through the instructions of the plugin's initializer, which passes its
// address to the runtime (amd64 and arm64). Within it, the table follows
// the plugin's path, which the caller knows from the build info: want is
// that path as symbols spell it, or "" for a plugin built from a list of
// files, whose path is made up.
//
// ok is false when the table cannot be found or does not hold together
// (another Go release's layout, an unknown architecture, pointers left to
// the dynamic loader): the caller then walks the symbols, so that nothing
// is ever read from a table misunderstood.
func moduleHashes(ef *elf.File, r io.ReaderAt, want string) (path string, hashes map[string]string, ok bool) {
	if ef.Class != elf.ELFCLASS64 {
		return "", nil, false
	}
	md, ok := moduleData(ef, r)
	if !ok {
		return "", nil, false
	}
	order := ef.ByteOrder
	word := func(i int) uint64 { return order.Uint64(md[i*8:]) }
	for i := 0; i+5 <= len(md)/8; i++ {
		// pluginpath string, then pkghashes []modulehash.
		pathLen, n, capacity := word(i+1), word(i+3), word(i+4)
		if pathLen == 0 || pathLen > maxPathLen || n != capacity || n == 0 || n > maxModulePackages {
			continue
		}
		p, err := readAddr(ef, r, word(i), pathLen)
		if err != nil || !pluginPathMatches(string(p), want) {
			continue
		}
		hashes, ok := hashTable(ef, r, word(i+2), n)
		if !ok {
			return "", nil, false
		}
		return string(p), hashes, true
	}
	return "", nil, false
}

// pluginPathMatches tells whether got is the plugin path the module data
// should record: want, or for a plugin built from files (want == "") a
// made-up one.
func pluginPathMatches(got, want string) bool {
	if want != "" {
		return got == want
	}
	rest, ok := strings.CutPrefix(got, unnamedPrefix)
	return ok && rest != "" && !strings.ContainsAny(rest, "/ \x00")
}

// hashTable reads n entries of the runtime's modulehash at addr: the
// package's import path and its link-time hash as two strings, then a
// pointer the dynamic loader fills in. Every entry must read as a package
// path and a hash of the same length as all the others, once per package.
func hashTable(ef *elf.File, r io.ReaderAt, addr, n uint64) (map[string]string, bool) {
	const entry = 5 * 8
	table, err := readAddr(ef, r, addr, n*entry)
	if err != nil {
		return nil, false
	}
	order := ef.ByteOrder
	hashes := make(map[string]string, n)
	var hashLen uint64
	for i := range n {
		e := table[i*entry : (i+1)*entry]
		nameAt, nameLen := order.Uint64(e), order.Uint64(e[8:])
		hashAt, hLen := order.Uint64(e[16:]), order.Uint64(e[24:])
		if nameLen == 0 || nameLen > maxPathLen || hLen == 0 || hLen > 64 || (hashLen != 0 && hLen != hashLen) {
			return nil, false
		}
		hashLen = hLen
		name, err := readAddr(ef, r, nameAt, nameLen)
		if err != nil || !utf8.Valid(name) || strings.ContainsAny(string(name), " \x00") {
			return nil, false
		}
		hash, err := readAddr(ef, r, hashAt, hLen)
		if err != nil {
			return nil, false
		}
		if _, dup := hashes[string(name)]; dup {
			return nil, false
		}
		hashes[string(name)] = hex.EncodeToString(hash)
	}
	return hashes, true
}

// moduleData returns the bytes of the plugin's module data, as far as
// they can be told.
func moduleData(ef *elf.File, r io.ReaderAt) ([]byte, bool) {
	if s := ef.Section(".go.module"); s != nil && s.Type == elf.SHT_PROGBITS {
		data, err := readAddr(ef, r, s.Addr, s.Size)
		return data, err == nil
	}
	addr, ok := moduleDataAddr(ef, r)
	if !ok {
		return nil, false
	}
	sec := sectionAt(ef, addr)
	if sec == nil {
		return nil, false
	}
	data, err := readAddr(ef, r, addr, min(maxModuleData, sec.Addr+sec.Size-addr))
	return data, err == nil
}

// moduleDataAddr finds the module data's address in the code of the
// plugin's initializer (go:link.addmoduledata), which the linker writes as
// the first instructions of a function in .init_array: on amd64
// "lea moduledata(%rip), %rdi; call runtime.addmoduledata", on arm64
// "adrp x0, moduledata; add x0, x0, :lo12:moduledata; b ...".
func moduleDataAddr(ef *elf.File, r io.ReaderAt) (uint64, bool) {
	init := ef.Section(".init_array")
	if init == nil || init.Type != elf.SHT_INIT_ARRAY || init.Size > 64*8 {
		return 0, false
	}
	funcs, err := readAddr(ef, r, init.Addr, init.Size)
	if err != nil {
		return 0, false
	}
	for i := 0; i+8 <= len(funcs); i += 8 {
		fn := ef.ByteOrder.Uint64(funcs[i:])
		code, err := readAddr(ef, r, fn, 12)
		if err != nil {
			continue
		}
		switch ef.Machine {
		case elf.EM_X86_64:
			if code[0] == 0x48 && code[1] == 0x8d && code[2] == 0x3d && code[7] == 0xe8 {
				return fn + 7 + uint64(int64(int32(binary.LittleEndian.Uint32(code[3:])))), true
			}
		case elf.EM_AARCH64:
			adrp, add := binary.LittleEndian.Uint32(code), binary.LittleEndian.Uint32(code[4:])
			// adrp x0, #imm; add x0, x0, #imm12
			if adrp&0x9f00001f != 0x90000000 || add&0xffc003ff != 0x91000000 {
				continue
			}
			imm := int64(adrp>>29&3|(adrp>>5&0x7ffff)<<2) << 43 >> 31 // sign-extended, times 4096
			return uint64(int64(fn&^0xfff)+imm) + uint64(add>>10&0xfff), true
		}
	}
	return 0, false
}

// sectionAt returns the allocated section with file contents holding the
// virtual address addr.
func sectionAt(ef *elf.File, addr uint64) *elf.Section {
	for _, s := range ef.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Type != elf.SHT_NOBITS && s.Flags&elf.SHF_COMPRESSED == 0 && addr >= s.Addr && addr-s.Addr < s.Size {
			return s
		}
	}
	return nil
}

// readAddr returns the n bytes at virtual address addr, which must lie
// within one section's contents in the file.
func readAddr(ef *elf.File, r io.ReaderAt, addr, n uint64) ([]byte, error) {
	s := sectionAt(ef, addr)
	if s == nil {
		return nil, fmt.Errorf("address %#x is in no section of the file", addr)
	}
	return readSection(r, s, addr-s.Addr, n)
}

// readSection returns n bytes at off in a section: in place from a
// mapping, else copied.
func readSection(r io.ReaderAt, s *elf.Section, off, n uint64) ([]byte, error) {
	if s.Type == elf.SHT_NOBITS || s.Flags&elf.SHF_COMPRESSED != 0 || off > s.Size || n > s.Size-off || n > 1<<30 {
		return nil, fmt.Errorf("%d bytes at %d are outside section %s", n, off, s.Name)
	}
	if m, ok := r.(*mapping); ok {
		b, ok := m.slice(s.Offset+off, n)
		if !ok || s.Offset+off < s.Offset {
			return nil, fmt.Errorf("%d bytes at %d of section %s lie past the file's end", n, off, s.Name)
		}
		return b, nil
	}
	buf := make([]byte, n)
	err := guard(func() (err error) { _, err = s.ReadAt(buf, int64(off)); return err })
	return buf, err
}
