//go:build unix

package artifact

import (
	"os"
	"syscall"
)

// mapFile maps f, of size bytes, read-only; unmap releases it.
func mapFile(f *os.File, size int64) (m *mapping, unmap func(), err error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, syscall.EINVAL
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	populate := func(from, to uint64) {
		from &^= uint64(os.Getpagesize() - 1)
		// MADV_POPULATE_READ (Linux 5.14); where it is unknown, the pages
		// fault in as they are read.
		_ = syscall.Madvise(data[from:to], 22)
	}
	return &mapping{data, populate}, func() { _ = syscall.Munmap(data) }, nil
}
