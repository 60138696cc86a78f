// Package artifact reads what a Go-built ELF file says about how it was
// built: its build info, its ELF interpreter and needed libraries, and the
// per-package hashes that plugin.Open compares between host and plugin.
//
// Everything here is read from the file; nothing is loaded or run, so a file
// that would crash a host can be examined safely.
package artifact

import (
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// Errors that make a file unusable for comparison. Callers branch on them
// to tell bad input from an incompatible build.
var (
	ErrNotELF       = errors.New("not an ELF file")
	ErrNoBuildInfo  = errors.New("not a Go binary: no Go build info")
	ErrNotPlugin    = errors.New("not a Go plugin: built with -buildmode other than plugin")
	ErrCannotLoad   = errors.New("cannot load Go plugins")
	ErrIsPluginFile = errors.New("is a Go plugin, not a host executable")
	ErrMalformed    = errors.New("malformed ELF file")
)

// A File is a Go-built ELF executable or plugin.
type File struct {
	Path string
	// Build is the file's embedded build info.
	Build *buildinfo.BuildInfo
	// Interp is the ELF interpreter (PT_INTERP), empty for static files
	// and shared objects.
	Interp string
	// Needed are the DT_NEEDED libraries.
	Needed []string
	// PkgHashes maps each import path the file links to the hash the Go
	// runtime compares when a plugin is opened. Only files that can take
	// part in plugin loading (hosts importing package plugin, and plugins)
	// have them.
	PkgHashes map[string]string
	// Type is the ELF file type: ET_EXEC, or ET_DYN for PIE and plugins.
	Type elf.Type
	// Machine is the ELF machine: a plugin for another one cannot be
	// loaded at all.
	Machine elf.Machine
	// PluginPath is the path the linker gave a plugin's main package, and
	// so the prefix of its symbols: the main package's import path, or
	// "plugin/unnamed-..." for a plugin built from a list of files. Empty
	// for other files.
	PluginPath string
	// Exports maps each exported name of a plugin's main package, which
	// plugin.Lookup can find, to its ELF symbol type: elf.STT_FUNC for a
	// function, elf.STT_OBJECT for a variable. Nil for other files.
	Exports map[string]elf.SymType
	// ModCache is the module cache (GOMODCACHE) a file built without
	// -trimpath compiled its modules from: its path is part of those
	// packages' hashes. Empty with -trimpath, or when the file compiled no
	// package from the module cache; ModCacheErr says when it could not be
	// told.
	ModCache    string
	ModCacheErr error
}

// Open reads path.
func Open(path string) (*File, error) {
	return open(path, readOptions{})
}

// OpenHost reads a host executable for checking plugins that link
// packages: of its package hashes it reads those of packages, and of
// package plugin, looked up by name, rather than all of them. A host
// exports some 300,000 dynamic symbols; looking up a plugin's thousand
// packages reads a sliver of them. A file that turns out to be a plugin,
// or has no hash table to look names up in, is read whole, as by Open.
func OpenHost(path string, packages []string) (*File, error) {
	if packages == nil {
		packages = []string{}
	}
	return open(path, readOptions{packages: packages})
}

// OpenHashes reads a plugin's package hashes but not its exports
// (File.Exports is nil), for a check against a host binary alone, which
// looks no symbol up. The hashes all lie in one section, so only the few
// symbols of that section need their names read, not all 300,000.
func OpenHashes(path string) (*File, error) {
	return open(path, readOptions{hashesOnly: true})
}

// readOptions say what of a file is wanted, when not all of it.
type readOptions struct {
	// packages, when not nil, are the only packages whose hashes a host
	// is wanted for (see [OpenHost]).
	packages []string
	// hashesOnly leaves a plugin's exports out (see [OpenHashes]).
	hashesOnly bool
}

func open(path string, o readOptions) (*File, error) {
	// A FIFO or device must neither block the open nor be read.
	f, err := input.Open(path, input.BinaryLimit)
	if errors.Is(err, input.ErrNotRegular) {
		return nil, fmt.Errorf("%s: %w: it is not a regular file", path, ErrNotELF)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	// Mapped, the file is read only where it is looked at; where it cannot
	// be mapped, it is read in pieces.
	if m, unmap, err := mapFile(f, fi.Size()); err == nil {
		defer unmap()
		return readMapped(path, m, o)
	}
	return read(path, io.NewSectionReader(f, 0, fi.Size()), o)
}

// readMapped reads a mapped file, with a fault in the mapping turned into
// an error: a file cut short while it is read (a copy or a build
// rewriting it) leaves pages past its new end that fault when touched,
// which would otherwise kill the process (SIGBUS).
func readMapped(path string, m *mapping, o readOptions) (a *File, err error) {
	err = guardFaults(func() error {
		a, err = read(path, m, o)
		return err
	})
	if errors.Is(err, errChanged) && !errors.Is(err, ErrMalformed) {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
	}
	return a, err
}

// errChanged is a fault in a mapped file: a page it no longer has.
var errChanged = errors.New("the file changed while it was read")

// guardFaults runs f in this goroutine with faults in mapped memory turned
// into panics, and those into an error; any other panic goes on.
// Goroutines that read a mapping each run under it too ([each]).
func guardFaults(f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if err = faultError(p); err == nil {
				panic(p)
			}
		}
	}()
	return f()
}

// faultError is the error of a panic, p, that is a fault in mapped
// memory; nil for any other.
func faultError(p any) error {
	fault, ok := p.(interface{ Addr() uintptr })
	if !ok {
		return nil
	}
	return fmt.Errorf("%w (a fault at %#x): read it again once it is complete", errChanged, fault.Addr())
}

// Read reads a file from r; path is used in messages. When r has a Size
// method (as *io.SectionReader and *bytes.Reader do), a file cut short is
// told from a malformed one.
func Read(path string, r io.ReaderAt) (*File, error) {
	return read(path, r, readOptions{})
}

// read reads a file, as much of it as o wants.
func read(path string, r io.ReaderAt, o readOptions) (*File, error) {
	var ef *elf.File
	if err := guard(func() (err error) { ef, err = elf.NewFile(r); return err }); err != nil {
		head := make([]byte, 4)
		n, _ := r.ReadAt(head, 0)
		switch head = head[:n]; {
		case string(head) == elf.ELFMAG && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
			return nil, fmt.Errorf("%s: %w: truncated: the file ends before its headers do", path, ErrMalformed)
		case string(head) == elf.ELFMAG:
			return nil, fmt.Errorf("%s: %w (%v)", path, ErrMalformed, err)
		case n == 0:
			return nil, fmt.Errorf("%s: %w (the file is empty)", path, ErrNotELF)
		}
		return nil, fmt.Errorf("%s: %w (it starts with %q, not %q)", path, ErrNotELF, head, elf.ELFMAG)
	}
	defer ef.Close()
	if sr, ok := r.(interface{ Size() int64 }); ok {
		if err := checkTruncated(ef, sr.Size()); err != nil {
			return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
		}
	}
	var bi *buildinfo.BuildInfo
	if err := guard(func() (err error) { bi, err = buildinfo.Read(r); return err }); err != nil {
		return nil, fmt.Errorf("%s: %w", path, ErrNoBuildInfo)
	}
	a := &File{Path: path, Build: bi, Type: ef.Type, Machine: ef.Machine}
	for _, p := range ef.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		var data []byte
		err := guard(func() (err error) { data, err = io.ReadAll(p.Open()); return err })
		if err != nil {
			return nil, fmt.Errorf("%s: %w: reading ELF interpreter: %v", path, ErrMalformed, err)
		}
		a.Interp = strings.TrimRight(string(data), "\x00")
	}
	var err error
	if a.Needed, err = neededLibraries(ef, r); err != nil {
		return nil, fmt.Errorf("%s: %w: reading needed libraries: %v", path, ErrMalformed, err)
	}
	table, err := readGNUHash(ef, r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
	}
	// Only two kinds of dynamic symbol are wanted: package hashes, and a
	// plugin's exports, named after its main package.
	plugin := a.Setting("-buildmode") == "plugin"
	prefixes := []string{pkgHashPrefix}
	if plugin && bi.Path == "command-line-arguments" {
		prefixes = append(prefixes, unnamedPrefix)
	} else if plugin {
		prefixes = append(prefixes, symbolPrefix(bi.Path)+".")
	}
	var syms []elf.Symbol
	looked := false
	if o.hashesOnly && plugin {
		want := symbolPrefix(bi.Path)
		if bi.Path == "command-line-arguments" {
			want = ""
		}
		if pp, hashes, ok := moduleHashes(ef, r, want); ok {
			a.PkgHashes, a.PluginPath = hashes, bi.Path
			if want == "" {
				a.PluginPath = pp
			}
			a.readModCache(ef, r)
			return a, nil
		}
		if table != nil {
			if syms, looked, err = hashSymbols(ef, r, table); err != nil {
				return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
			}
		}
	}
	if o.packages != nil && !plugin && table != nil {
		names := []string{pkgHashPrefix + "plugin", pkgHashPrefix + "runtime"}
		for _, p := range o.packages {
			names = append(names, pkgHashPrefix+p)
		}
		syms, err = table.lookup(ef, names)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
		}
		looked = true
		// Every Go program links the runtime: a host exporting package
		// hashes whose table does not lead to the runtime's leaves out
		// others as well.
		if len(syms) > 0 && !slices.ContainsFunc(syms, func(s elf.Symbol) bool { return s.Name == pkgHashPrefix+"runtime" }) {
			return nil, fmt.Errorf("%s: %w: .gnu.hash does not lead to %sruntime, which every Go program defines", path, ErrMalformed, pkgHashPrefix)
		}
	}
	if !looked {
		if syms, err = dynamicSymbols(ef, r, nil, prefixes...); err != nil {
			return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
		}
		if table != nil {
			if err := table.check(ef, syms); err != nil {
				return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
			}
		}
	}
	if a.PkgHashes, err = pkgHashes(ef, r, syms); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrMalformed, err)
	}
	if plugin {
		a.PluginPath = pluginPath(bi.Path, a.PkgHashes)
		if !o.hashesOnly {
			a.Exports = exports(a.PluginPath, syms)
		}
	}
	a.readModCache(ef, r)
	return a, nil
}

// readModCache reads the module cache path of a file built without
// -trimpath.
func (a *File) readModCache(ef *elf.File, r io.ReaderAt) {
	if a.Setting("-trimpath") == "true" {
		return
	}
	var names []string
	if a.ModCacheErr = guard(func() (err error) { names, err = fileNames(ef, r); return err }); a.ModCacheErr == nil {
		a.ModCache, a.ModCacheErr = a.modCache(names)
	}
}

// guard runs f, turning a panic into an error. debug/elf and
// debug/buildinfo guard most malformed input but still panic on some
// crafted files, and a bad input must never crash the caller. Only calls
// into them are guarded, so that a panic in this package's own code still
// shows, to tests and fuzzing.
func guard(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if err = faultError(p); err == nil {
				err = fmt.Errorf("malformed ELF: %v", p)
			}
		}
	}()
	return f()
}

// checkTruncated reports a section or segment that reaches past the end of
// a file of size bytes, as in a file cut short by a failed copy.
func checkTruncated(ef *elf.File, size int64) error {
	for _, s := range ef.Sections {
		if s.Type == elf.SHT_NOBITS || s.Type == elf.SHT_NULL {
			continue
		}
		if end := s.Offset + s.FileSize; end > uint64(size) || end < s.Offset {
			return fmt.Errorf("truncated: section %s ends at byte %d, but the file has %d bytes", s.Name, end, size)
		}
	}
	for i, p := range ef.Progs {
		if end := p.Off + p.Filesz; end > uint64(size) || end < p.Off {
			return fmt.Errorf("truncated: segment %d ends at byte %d, but the file has %d bytes", i, end, size)
		}
	}
	return nil
}

const pkgHashPrefix = "go:link.pkghashbytes."

// pkgHashes reads the go:link.pkghashbytes.* dynamic symbols, which the
// linker exports from every file built for dynamic linking, stripped or
// not.
func pkgHashes(ef *elf.File, r io.ReaderAt, syms []elf.Symbol) (map[string]string, error) {
	if len(syms) == 0 {
		return nil, nil
	}
	hashes := make(map[string]string, len(syms))
	for _, s := range syms {
		pkg, ok := strings.CutPrefix(s.Name, pkgHashPrefix)
		if !ok || s.Section == elf.SHN_UNDEF {
			continue
		}
		// A hash that cannot be read is a malformed file, never a
		// package the file does not link.
		if s.Size == 0 || s.Size > 64 || int(s.Section) >= len(ef.Sections) {
			return nil, fmt.Errorf("the hash of package %s is %d bytes in section %d, which is no hash of a section of the file", pkg, s.Size, s.Section)
		}
		sec := ef.Sections[s.Section]
		if s.Value < sec.Addr || s.Value+s.Size > sec.Addr+sec.Size || s.Value+s.Size < s.Value || sec.Type == elf.SHT_NOBITS {
			return nil, fmt.Errorf("the hash of package %s, at %#x, is not in the data of its section %s", pkg, s.Value, sec.Name)
		}
		buf, err := readSection(r, sec, s.Value-sec.Addr, s.Size)
		if err != nil {
			return nil, fmt.Errorf("reading hash of package %s: %w", pkg, err)
		}
		hashes[pkg] = hex.EncodeToString(buf)
	}
	return hashes, nil
}

// Setting returns the build setting key ("-trimpath", "CGO_ENABLED", ...),
// or "" when the file does not record it.
func (a *File) Setting(key string) string {
	for _, s := range a.Build.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// GoVersion is the release of the toolchain that built the file, without
// the " X:experiment" suffix the toolchain adds when GOEXPERIMENT is set.
func (a *File) GoVersion() string {
	v, _, _ := strings.Cut(a.Build.GoVersion, " ")
	return v
}

// Libc tells the C library family the file was linked against, from its
// interpreter or needed libraries: "musl", "glibc" or "" when it has none.
func (a *File) Libc() string {
	if strings.Contains(a.Interp, "musl") {
		return "musl"
	}
	if strings.Contains(a.Interp, "ld-linux") {
		return "glibc"
	}
	for _, lib := range a.Needed {
		switch {
		case strings.Contains(lib, "musl"), lib == "libc.so":
			// musl's libc is "libc.so"; glibc's is "libc.so.6".
			return "musl"
		case strings.HasPrefix(lib, "libc.so."):
			return "glibc"
		}
	}
	return ""
}

// CheckHost reports why a host executable cannot load plugins, or nil.
func (a *File) CheckHost() error {
	if mode := a.Setting("-buildmode"); mode == "plugin" {
		return fmt.Errorf("%s %w", a.Path, ErrIsPluginFile)
	}
	if a.Setting("CGO_ENABLED") != "1" {
		return fmt.Errorf("%s %w: it was built with CGO_ENABLED=0, and plugin loading needs cgo; rebuild it with CGO_ENABLED=1", a.Path, ErrCannotLoad)
	}
	if a.Interp == "" {
		return fmt.Errorf("%s %w: it is statically linked (no ELF interpreter), so it cannot dlopen a plugin; rebuild it without -extldflags=-static", a.Path, ErrCannotLoad)
	}
	if len(a.PkgHashes) == 0 {
		return fmt.Errorf("%s %w: it does not import package plugin (it exports no package hashes)", a.Path, ErrCannotLoad)
	}
	return nil
}

// CheckPlugin reports whether a is a Go plugin.
func (a *File) CheckPlugin() error {
	switch mode := a.Setting("-buildmode"); mode {
	case "plugin":
	case "":
		return fmt.Errorf("%s: %w (it records no -buildmode)", a.Path, ErrNotPlugin)
	default:
		return fmt.Errorf("%s: %w (it records -buildmode=%s)", a.Path, ErrNotPlugin, mode)
	}
	return nil
}

// Tags returns the -tags build setting as a list.
func (a *File) Tags() []string {
	v := a.Setting("-tags")
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}
