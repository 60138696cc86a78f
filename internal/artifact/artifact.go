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
	"os"
	"strings"
)

// Errors that make a file unusable for comparison. Callers branch on them
// to tell bad input from an incompatible build.
var (
	ErrNotELF       = errors.New("not an ELF file")
	ErrNoBuildInfo  = errors.New("not a Go binary: no Go build info")
	ErrNotPlugin    = errors.New("not a Go plugin: built with -buildmode other than plugin")
	ErrCannotLoad   = errors.New("cannot load Go plugins")
	ErrIsPluginFile = errors.New("is a Go plugin, not a host executable")
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
}

// Open reads path.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read reads a file from r; path is used in messages.
func Read(path string, r io.ReaderAt) (file *File, err error) {
	defer func() {
		// debug/elf guards most malformed input but still panics on some
		// crafted files; a bad input must never crash the caller.
		if p := recover(); p != nil {
			file, err = nil, fmt.Errorf("%s: %w: malformed ELF: %v", path, ErrNotELF, p)
		}
	}()
	ef, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrNotELF, err)
	}
	defer ef.Close()
	bi, err := buildinfo.Read(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, ErrNoBuildInfo)
	}
	a := &File{Path: path, Build: bi, Type: ef.Type}
	for _, p := range ef.Progs {
		if p.Type != elf.PT_INTERP {
			continue
		}
		data, err := io.ReadAll(p.Open())
		if err != nil {
			return nil, fmt.Errorf("%s: reading ELF interpreter: %w", path, err)
		}
		a.Interp = strings.TrimRight(string(data), "\x00")
	}
	if a.Needed, err = ef.ImportedLibraries(); err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, fmt.Errorf("%s: reading needed libraries: %w", path, err)
	}
	if a.PkgHashes, err = pkgHashes(ef); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

const pkgHashPrefix = "go:link.pkghashbytes."

// pkgHashes reads the go:link.pkghashbytes.* dynamic symbols, which the
// linker exports from every file built for dynamic linking, stripped or
// not.
func pkgHashes(ef *elf.File) (map[string]string, error) {
	syms, err := ef.DynamicSymbols()
	if err != nil {
		if errors.Is(err, elf.ErrNoSymbols) {
			return nil, nil
		}
		return nil, fmt.Errorf("reading dynamic symbols: %w", err)
	}
	hashes := map[string]string{}
	for _, s := range syms {
		pkg, ok := strings.CutPrefix(s.Name, pkgHashPrefix)
		if !ok || s.Size == 0 || s.Size > 64 || int(s.Section) >= len(ef.Sections) {
			continue
		}
		sec := ef.Sections[s.Section]
		if s.Value < sec.Addr || s.Value+s.Size > sec.Addr+sec.Size || sec.Type == elf.SHT_NOBITS {
			continue
		}
		buf := make([]byte, s.Size)
		if _, err := sec.ReadAt(buf, int64(s.Value-sec.Addr)); err != nil {
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
	if a.Setting("-buildmode") != "plugin" {
		return fmt.Errorf("%s: %w", a.Path, ErrNotPlugin)
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
