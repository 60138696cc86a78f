package artifact

import (
	"debug/elf"
	"testing"
)

// TestCheckInflation: a compressed section may state a size up to
// MaxInflation times its size in the file, or up to a megabyte whatever
// its ratio; one stating more is refused before it is decompressed.
func TestCheckInflation(t *testing.T) {
	for _, tc := range []struct {
		flags          elf.SectionFlag
		size, fileSize uint64
		ok             bool
	}{
		{elf.SHF_COMPRESSED, 16 << 20, 1 << 20, true},
		{elf.SHF_COMPRESSED, MaxInflation << 20, 1 << 20, true},
		{elf.SHF_COMPRESSED, MaxInflation<<20 + MaxInflation, 1 << 20, false},
		{elf.SHF_COMPRESSED, 1 << 20, 100, true},
		{elf.SHF_COMPRESSED, 1<<20 + 1, 100, false},
		{0, 1 << 40, 1 << 20, true},
	} {
		s := &elf.Section{SectionHeader: elf.SectionHeader{Name: ".debug_info", Flags: tc.flags, Size: tc.size, FileSize: tc.fileSize}}
		if err := checkInflation(s); (err == nil) != tc.ok {
			t.Errorf("flags %v, %d bytes from %d: error %v, want ok %v", tc.flags, tc.size, tc.fileSize, err, tc.ok)
		}
	}
}
