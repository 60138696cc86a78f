package target

import (
	"slices"
	"strings"
)

// Constrained tells whether Go's tools would read a file name (without
// .go) as a build constraint, as go/build's goodOSArchFile does: one
// ending in _test, or in an operating system or architecture such as
// _windows or _arm64. A file named after a host version must not end so,
// or the build would leave it out.
func Constrained(name string) bool {
	if strings.HasSuffix(name, "_test") {
		return true
	}
	l := strings.Split(name, "_")
	n := len(l)
	if n >= 2 && (knownOS(l[n-1]) || knownArch(l[n-1])) {
		return true
	}
	return n >= 3 && knownOS(l[n-2]) && knownArch(l[n-1])
}

// The lists of go/build's syslist.go (Go 1.26), which the build uses to
// read file names; "unix" is no file-name constraint. go/build does not
// export them; TestPlatformLists holds this copy to the installed Go.
var (
	goosList   = strings.Fields(`aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos`)
	goarchList = strings.Fields(`386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm`)
)

func knownOS(s string) bool   { return slices.Contains(goosList, s) }
func knownArch(s string) bool { return slices.Contains(goarchList, s) }
