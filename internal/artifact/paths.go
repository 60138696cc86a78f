package artifact

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
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
// The paths are read from the file table of the Go symbol table
// (.gopclntab), which every Go binary keeps, even one stripped with -s -w:
// the table lists each source file's path once.

// errNoFileTable says the Go file table could not be found or read.
var errNoFileTable = errors.New("no Go file table (.gopclntab) that this build can read")

// fileNames reads the source file paths of the Go symbol table.
func fileNames(ef *elf.File) ([]string, error) {
	sec := ef.Section(".gopclntab")
	if sec == nil || sec.Type == elf.SHT_NOBITS {
		return nil, errNoFileTable
	}
	// The header: magic, two pad bytes, the instruction size quantum, the
	// pointer size, then pointer-sized words (runtime.pcHeader).
	head := make([]byte, 8+8*8)
	if n, err := sec.ReadAt(head, 0); n < 8 {
		return nil, fmt.Errorf("%w: reading its header: %v", errNoFileTable, err)
	}
	ptr := int(head[7])
	if ptr != 4 && ptr != 8 {
		return nil, fmt.Errorf("%w: pointer size %d", errNoFileTable, ptr)
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
	case 0xfffffff0, 0xfffffff1: // Go 1.18-1.19, Go 1.20 and later
		filetab, pctab = word(5), word(6)
	case 0xfffffffa: // Go 1.16-1.17
		filetab, pctab = word(4), word(5)
	default:
		return nil, fmt.Errorf("%w: unknown magic %#x", errNoFileTable, magic)
	}
	if filetab >= pctab || pctab > sec.Size || pctab-filetab > 1<<30 {
		return nil, fmt.Errorf("%w: file table at %d..%d of a %d-byte section", errNoFileTable, filetab, pctab, sec.Size)
	}
	data := make([]byte, pctab-filetab)
	if _, err := sec.ReadAt(data, int64(filetab)); err != nil {
		return nil, fmt.Errorf("%w: %v", errNoFileTable, err)
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
