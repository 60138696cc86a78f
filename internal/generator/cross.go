package generator

// A Cross is how to build C code for one architecture on a machine of
// another: the cross compiler's name and, for glibc, the Debian and Ubuntu
// packages that give it. The generated Makefile picks the compiler by the
// target architecture, so that a cross build never reaches the machine's
// own gcc (which fails on the other architecture's assembly).
type Cross struct {
	GOARCH string
	// CC and Packages build against glibc.
	CC       string
	Packages []string
	// MuslCC builds against musl. No Debian or Alpine package gives one;
	// musl cross toolchains (musl.cc's, or one built with musl-cross-make)
	// name it this way.
	MuslCC string
}

// crossTable holds the Linux architectures Go builds plugins for.
var crossTable = map[string]Cross{
	"386":     {CC: "i686-linux-gnu-gcc", Packages: []string{"gcc-i686-linux-gnu", "libc6-dev-i386-cross"}, MuslCC: "i686-linux-musl-gcc"},
	"amd64":   {CC: "x86_64-linux-gnu-gcc", Packages: []string{"gcc-x86-64-linux-gnu", "libc6-dev-amd64-cross"}, MuslCC: "x86_64-linux-musl-gcc"},
	"arm":     {CC: "arm-linux-gnueabihf-gcc", Packages: []string{"gcc-arm-linux-gnueabihf", "libc6-dev-armhf-cross"}, MuslCC: "arm-linux-musleabihf-gcc"},
	"arm64":   {CC: "aarch64-linux-gnu-gcc", Packages: []string{"gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"}, MuslCC: "aarch64-linux-musl-gcc"},
	"loong64": {CC: "loongarch64-linux-gnu-gcc", Packages: []string{"gcc-loongarch64-linux-gnu", "libc6-dev-loong64-cross"}, MuslCC: "loongarch64-linux-musl-gcc"},
	"ppc64le": {CC: "powerpc64le-linux-gnu-gcc", Packages: []string{"gcc-powerpc64le-linux-gnu", "libc6-dev-ppc64el-cross"}, MuslCC: "powerpc64le-linux-musl-gcc"},
	"riscv64": {CC: "riscv64-linux-gnu-gcc", Packages: []string{"gcc-riscv64-linux-gnu", "libc6-dev-riscv64-cross"}, MuslCC: "riscv64-linux-musl-gcc"},
	"s390x":   {CC: "s390x-linux-gnu-gcc", Packages: []string{"gcc-s390x-linux-gnu", "libc6-dev-s390x-cross"}, MuslCC: "s390x-linux-musl-gcc"},
}

// crosses returns the cross toolchains of the architectures a host ships
// for, in its order. An architecture outside the table (the manifest
// checks GOARCH against the plugin platforms) gets none: its cross build
// then needs CC from the command line.
func crosses(goarch []string) []Cross {
	var cs []Cross
	for _, a := range goarch {
		if c, ok := crossTable[a]; ok {
			c.GOARCH = a
			cs = append(cs, c)
		}
	}
	return cs
}
