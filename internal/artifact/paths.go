package artifact

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/mod/module"
)

// Without -trimpath the Go toolchain compiles the absolute path of every
// source file into its package, and so into the package's hash: measured,
// a host built without -trimpath refuses a plugin built alike but with
// another module cache (GOMODCACHE), as "a different version of package"
// of the first shared module. The GOROOT's path does not take part (the
// toolchain records it as $GOROOT and expands it only at link time), and
// neither does the plugin's own directory, whose packages no host shares.
//
// The paths are read from the file table of the Go symbol table, which
// every Go binary keeps, even one stripped with -s -w: the table lists each
// source file's path once. It is the .gopclntab section where the file
// has one; a plugin's linker may instead place the table among its
// read-only data, where it is found by its header.

// errNoFileTable says the Go file table could not be found or read.
var errNoFileTable = errors.New("no Go symbol table whose file names this build can read")

// fileNames reads the source file paths of the Go symbol table.
func fileNames(ef *elf.File, r io.ReaderAt) ([]string, error) {
	if sec := ef.Section(".gopclntab"); sec != nil && sec.Type != elf.SHT_NOBITS {
		read := func(off, n uint64) ([]byte, error) {
			buf := make([]byte, n)
			_, err := sec.ReadAt(buf, int64(off))
			return buf, err
		}
		names, err := fileTable(ef, read, sec.Size, false)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNoFileTable, err)
		}
		return names, nil
	}
	return findFileTable(ef, r)
}

// findFileTable looks for the Go symbol table by its header in the
// sections of read-only data, and reads its file table. A candidate
// header must hold together: its offsets within the section, in order,
// and as many file names as it counts.
func findFileTable(ef *elf.File, r io.ReaderAt) ([]string, error) {
	magic := make([]byte, 4)
	ef.ByteOrder.PutUint32(magic, pcHeaderMagic)
	magic = append(magic, 0, 0) // the header's two pad bytes
	for _, s := range ef.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 || s.Flags&elf.SHF_EXECINSTR != 0 || s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_COMPRESSED != 0 {
			continue
		}
		data, err := readSection(r, s, 0, s.Size)
		if err != nil {
			continue
		}
		for at := 0; ; {
			i := bytes.Index(data[at:], magic)
			if i < 0 {
				break
			}
			at += i
			table := data[at:]
			read := func(off, n uint64) ([]byte, error) {
				if off > uint64(len(table)) || n > uint64(len(table))-off {
					return nil, io.ErrUnexpectedEOF
				}
				return table[off : off+n], nil
			}
			if names, err := fileTable(ef, read, uint64(len(table)), true); err == nil && len(names) > 0 {
				return names, nil
			}
			at++
		}
	}
	return nil, errNoFileTable
}

// pcHeaderMagic starts the Go symbol table's header (runtime.pcHeader) of
// Go 1.20 and later.
const pcHeaderMagic = 0xfffffff1

// fileTable reads the file table of the Go symbol table whose header is
// at offset 0 of what read reads, size bytes in all. A table that was
// searched for, not found by its section's name, must also count as many
// files as it lists.
func fileTable(ef *elf.File, read func(off, n uint64) ([]byte, error), size uint64, searched bool) ([]string, error) {
	// The header: magic, two pad bytes, the instruction size quantum, the
	// pointer size, then pointer-sized words (runtime.pcHeader).
	head, err := read(0, min(8+8*8, size))
	if err != nil && len(head) < 8 {
		return nil, fmt.Errorf("reading its header: %v", err)
	}
	if len(head) < 8 {
		return nil, fmt.Errorf("reading its header: %d bytes", len(head))
	}
	ptr := int(head[7])
	if ptr != 4 && ptr != 8 {
		return nil, fmt.Errorf("pointer size %d", ptr)
	}
	if searched && (head[4] != 0 || head[5] != 0 || (head[6] != 1 && head[6] != 2 && head[6] != 4)) {
		return nil, fmt.Errorf("not a header")
	}
	word := func(i int) uint64 {
		at := 8 + i*ptr
		if at+ptr > len(head) {
			return 0
		}
		if ptr == 4 {
			return uint64(ef.ByteOrder.Uint32(head[at:]))
		}
		return ef.ByteOrder.Uint64(head[at:])
	}
	// Words after nfunc and nfiles: Go 1.18 and later record the text
	// start before the table offsets; Go 1.16 and 1.17 do not.
	var filetab, pctab uint64
	switch magic := ef.ByteOrder.Uint32(head); magic {
	case 0xfffffff0, pcHeaderMagic: // Go 1.18-1.19, Go 1.20 and later
		filetab, pctab = word(5), word(6)
	case 0xfffffffa: // Go 1.16-1.17
		filetab, pctab = word(4), word(5)
	default:
		return nil, fmt.Errorf("unknown magic %#x", magic)
	}
	if filetab >= pctab || pctab > size || pctab-filetab > 1<<30 {
		return nil, fmt.Errorf("file table at %d..%d of %d bytes", filetab, pctab, size)
	}
	data, err := read(filetab, pctab-filetab)
	if err != nil {
		return nil, err
	}
	var names []string
	for len(data) > 0 {
		end := bytes.IndexByte(data, 0)
		if end < 0 {
			end = len(data)
		}
		if end > 0 {
			names = append(names, string(data[:end]))
		}
		data = data[min(end+1, len(data)):]
	}
	if searched && uint64(len(names)) != word(1) {
		return nil, fmt.Errorf("%d file names where the header counts %d", len(names), word(1))
	}
	return names, nil
}

// modCache finds the module cache the file's modules were compiled from:
// the directory that holds each module's files as
// <GOMODCACHE>/<escaped path>@<escaped version>/. It is "" when the file
// compiled no package from the module cache. Files from two module caches
// are an error: no one path reproduces the build.
func (a *File) modCache(names []string) (string, error) {
	dirs := map[string]bool{}
	longest := 0
	for _, d := range a.Build.Deps {
		m := d
		if d.Replace != nil {
			m = d.Replace
		}
		if m.Version == "" || m.Version == "(devel)" {
			continue // a directory: its path is the replace's
		}
		p, err1 := module.EscapePath(m.Path)
		v, err2 := module.EscapeVersion(m.Version)
		if err1 == nil && err2 == nil {
			dirs[p+"@"+v] = true
			longest = max(longest, len(p)+1+len(v))
		}
	}
	found := ""
	for _, name := range names {
		cache, ok := cacheOf(name, dirs, longest)
		switch {
		case !ok:
		case found == "":
			found = cache
		case found != cache:
			return "", fmt.Errorf("its modules were compiled from two module caches, %s and %s", found, cache)
		}
	}
	if found == "" {
		if mod := a.linkedFromCache(); mod != "" {
			return "", fmt.Errorf("it links packages of %s from the module cache but records none of their source files, so the module cache's path, part of their hashes, cannot be told", mod)
		}
	}
	return found, nil
}

// pathMax is the longest path Linux opens (PATH_MAX): a longer name in a
// file table is none the compiler read a source file from.
const pathMax = 4096

// cacheOf finds the module cache in an absolute file path: the part
// before a module directory of dirs ("<escaped path>@<escaped version>"),
// none longer than longest. The module path holds slashes, so each slash
// before an '@' may start it, but only one after the '@' before: an
// escaped module path holds none. The names are the file's, and a crafted
// one is long: each byte of it is looked at once, and no string longer
// than a module directory is looked up.
func cacheOf(name string, dirs map[string]bool, longest int) (string, bool) {
	if !strings.HasPrefix(name, "/") || len(name) > pathMax {
		return "", false
	}
	from := 0
	for at := 0; at < len(name); at++ {
		if name[at] != '@' {
			continue
		}
		end := strings.IndexByte(name[at:], '/')
		if end < 0 {
			return "", false
		}
		end += at
		for i := max(from, end-1-longest); i < at; i++ {
			if name[i] == '/' && dirs[name[i+1:end]] {
				return name[:max(i, 1)], true
			}
		}
		from = at + 1
	}
	return "", false
}

// linkedFromCache returns a module taken from the module cache (not from
// a directory) of which the file links a package, or "". A package
// belongs to the longest module path that prefixes it.
func (a *File) linkedFromCache() string {
	for _, pkg := range slices.Sorted(maps.Keys(a.PkgHashes)) {
		var owner *debug.Module
		for _, d := range a.Build.Deps {
			if (pkg == d.Path || strings.HasPrefix(pkg, d.Path+"/")) && (owner == nil || len(d.Path) > len(owner.Path)) {
				owner = d
			}
		}
		if owner == nil {
			continue
		}
		m := owner
		if owner.Replace != nil {
			m = owner.Replace
		}
		if m.Version != "" && m.Version != "(devel)" {
			return owner.Path
		}
	}
	return ""
}
