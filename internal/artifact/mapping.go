package artifact

import (
	"debug/elf"
	"fmt"
	"io"
)

// A mapping is a whole file's bytes in memory, mapped from the file
// rather than read: a host binary can be 500 MB, of which a check needs
// the headers, the build info, the dynamic symbol table and some
// thousand hashes. Only the pages touched are read from the page cache,
// and they count against no heap. It implements io.ReaderAt for
// debug/elf and debug/buildinfo, and hands out sections in place.
type mapping struct {
	data []byte
	// populate, when set, maps the pages of a range in at once: one call
	// where touching them would fault thousands of times.
	populate func(from, to uint64)
}

func (m *mapping) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("negative offset %d", off)
	}
	if off >= int64(len(m.data)) {
		return 0, io.EOF
	}
	n := copy(p, m.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// slice returns the n bytes at off in place, or false when they reach
// past the file's end.
func (m *mapping) slice(off, n uint64) ([]byte, bool) {
	end := off + n
	if end < off || end > uint64(len(m.data)) {
		return nil, false
	}
	return m.data[off:end:end], true
}

// Size is the file's size, which tells Read that the file can be checked
// for truncation.
func (m *mapping) Size() int64 { return int64(len(m.data)) }

// sectionBytes returns a section's contents: in place from a mapping,
// copied from any other reader. The bytes must not be kept past Read.
// whole says that all of them will be read: a mapping then maps their
// pages in at once.
func sectionBytes(r io.ReaderAt, sec *elf.Section, whole bool) ([]byte, error) {
	if sec.Type == elf.SHT_NOBITS {
		return nil, fmt.Errorf("section %s has no data in the file", sec.Name)
	}
	if m, ok := r.(*mapping); ok && sec.Flags&elf.SHF_COMPRESSED == 0 {
		data, ok := m.slice(sec.Offset, sec.FileSize)
		if !ok {
			return nil, fmt.Errorf("section %s ends at byte %d, past the file's end", sec.Name, sec.Offset+sec.FileSize)
		}
		if whole && m.populate != nil {
			m.populate(sec.Offset, sec.Offset+sec.FileSize)
		}
		return data, nil
	}
	return SectionData(sec)
}

// SectionData returns a copy of a section's contents, decompressed when
// the section is compressed, as the readers of this package take them
// from a file that is not mapped: bounded in what it may decompress, and
// with debug/elf's panics on crafted input turned into errors.
func SectionData(sec *elf.Section) ([]byte, error) {
	if err := checkInflation(sec); err != nil {
		return nil, err
	}
	var data []byte
	err := guard(func() (err error) { data, err = sec.Data(); return err })
	return data, err
}

// MaxInflation bounds how many times its size in the file a compressed
// section may grow to. Measured on the benchmark's 100 MB plugin, its
// DWARF sections grow 2 to 16 times; zlib reaches about a thousand, and
// a file made for it would have a reader decompress gigabytes from
// megabytes (debug/elf allocates several times the stated size on the
// way).
const MaxInflation = 128

// checkInflation refuses a compressed section whose stated size is more
// than MaxInflation times what it takes in the file, before anything is
// decompressed. Sections of up to a megabyte are let through whatever
// their ratio: a small one of repeated bytes may well compress better.
func checkInflation(s *elf.Section) error {
	if s.Flags&elf.SHF_COMPRESSED == 0 || s.Size <= 1<<20 || s.Size/MaxInflation <= s.FileSize {
		return nil
	}
	return fmt.Errorf("section %s would grow from %d bytes in the file to %d, more than %d times: the file is damaged or made to exhaust memory", s.Name, s.FileSize, s.Size, MaxInflation)
}
