package artifact

import (
	"debug/elf"
	"go/token"
	"strings"
)

// unnamedPrefix starts the path the go command gives the main package of
// a plugin built from a list of .go files rather than from a package.
const unnamedPrefix = "plugin/unnamed-"

// pluginPath finds the path a plugin's main package was linked as. The go
// command uses the main package's import path, as build info records it,
// unless the package was given as files ("command-line-arguments"); then
// it makes one up, which only the file's package hashes show.
func pluginPath(mainPath string, hashes map[string]string) string {
	if mainPath != "command-line-arguments" {
		return mainPath
	}
	for pkg := range hashes {
		if strings.HasPrefix(pkg, unnamedPrefix) {
			return pkg
		}
	}
	return ""
}

// exports lists the exported Go names of the plugin's main package among
// its defined dynamic symbols. The linker names them "<prefix>.<Name>",
// the prefix being the plugin path with the dots of its last element and a
// few other bytes escaped.
func exports(path string, syms []elf.Symbol) map[string]elf.SymType {
	if path == "" {
		return nil
	}
	prefix := symbolPrefix(path) + "."
	names := map[string]elf.SymType{}
	for _, s := range syms {
		name, ok := strings.CutPrefix(s.Name, prefix)
		if !ok || s.Section == elf.SHN_UNDEF || !token.IsIdentifier(name) || !token.IsExported(name) {
			continue
		}
		names[name] = elf.ST_TYPE(s.Info)
	}
	return names
}

// symbolPrefix escapes an import path as the Go toolchain does in symbol
// names (cmd/internal/objabi.PathToPrefix): control bytes, space, '%', '"',
// bytes from 0x7f up, and dots after the last slash become %xx.
func symbolPrefix(path string) string {
	slash := strings.LastIndex(path, "/")
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c <= ' ' || (c == '.' && i > slash) || c == '%' || c == '"' || c >= 0x7f {
			const hex = "0123456789abcdef"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
