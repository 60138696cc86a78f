package artifact

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// samples are real files built once per test binary: Go plugins, a Go host
// that can load them, a static Go program and a C shared library.
var samples struct {
	once sync.Once
	dir  string
	err  error
}

// Sample file names, in samples.dir.
const (
	dottedPlugin  = "dotted.so"    // module example.com/dotted.name, built as a package
	unnamedPlugin = "unnamed.so"   // built from a list of files
	hostExe       = "host"         // imports plugin
	staticExe     = "static"       // CGO_ENABLED=0
	cLibrary      = "libanswer.so" // gcc -shared
	craftedPlugin = "crafted.so"   // gcc -shared, with the parts of a Go plugin this package reads
)

var sampleSources = map[string]string{
	"go.mod": "module example.com/dotted.name\n\ngo 1.26\n",
	"main.go": `package main

import "example.com/dotted.name/dep.v2"

// Plugin and Hello are what a host would look up.
var Plugin = dep.Answer

func Hello() string { return "hello" }

var hidden = 1

func main() { _ = hidden }
`,
	"dep.v2/dep.go": "package dep\n\nvar Answer = 42\n",
	"host/main.go": `package main

import "plugin"

func main() { plugin.Open("x.so") }
`,
	"c/answer.c":  "int answer(void) { return 42; }\n",
	"c/crafted.c": craftedSource(),
}

// craftedSource is C for a small shared library holding what this package
// reads from a Go plugin: build info in a .go.buildinfo section, package
// hashes and exported symbols named as the Go linker names them. Small,
// it lets the fuzzer reach every part of Read quickly.
func craftedSource() string {
	modinfo := "path\texample.com/x\nmod\texample.com/x\t(devel)\t\n" +
		"dep\texample.com/dep\tv1.0.0\th1:c696CCWdxBMOq4rNEgEXQ3x/GMJhvreps5C9bfexY3M=\n" +
		"build\t-buildmode=plugin\nbuild\t-trimpath=true\nbuild\tCGO_ENABLED=1\nbuild\tGOARCH=amd64\nbuild\tGOOS=linux\n"
	// debug/buildinfo drops 16 bytes on either side of the module info.
	const sentinel = "0123456789abcdef"
	mod := sentinel + modinfo + sentinel
	// The header: magic, pointer size, flags (2: strings inline), padding.
	b := append([]byte("\xff Go buildinf:"), 8, 2)
	b = append(b, make([]byte, 32-len(b))...)
	for _, str := range []string{"go1.26.8", mod} {
		b = binary.AppendUvarint(b, uint64(len(str)))
		b = append(b, str...)
	}
	var elems []string
	for _, c := range b {
		elems = append(elems, strconv.Itoa(int(c)))
	}
	return `__attribute__((section(".go.buildinfo"), aligned(16), used))
const unsigned char buildinfo[] = {` + strings.Join(elems, ",") + `};
const unsigned char h1[8] __asm__("\"go:link.pkghashbytes.runtime\"") = {1, 2, 3, 4, 5, 6, 7, 8};
const unsigned char h2[8] __asm__("\"go:link.pkghashbytes.example.com/dep\"") = {8, 7, 6, 5, 4, 3, 2, 1};
struct gostring { const void *p; unsigned long n; };
struct modulehash { struct gostring name, hash; const void *runtimehash; };
static const unsigned char linkhash1[8] = {1, 2, 3, 4, 5, 6, 7, 8}, linkhash2[8] = {8, 7, 6, 5, 4, 3, 2, 1};
static const struct modulehash pkghashes[2] = {
	{{"runtime", 7}, {linkhash1, 8}, 0},
	{{"example.com/dep", 15}, {linkhash2, 8}, 0},
};
__attribute__((section(".go.module"), used))
static const struct { const void *before[3]; struct gostring pluginpath; const void *pkghashes; unsigned long len, cap; } moduledata =
	{{0, 0, 0}, {"example.com/x", 13}, pkghashes, 2, 2};
int plugin __asm__("\"example.com/x.Plugin\"") = 1;
int hello(void) __asm__("\"example.com/x.Hello\"");
int hello(void) { return 42; }
int lower(void) __asm__("\"example.com/x.lower\"");
int lower(void) { return 0; }
`
}

// sample returns the path of a sample file, building them all on first
// use; it skips in -short mode, which builds nothing.
func sample(t testing.TB, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds Go plugins and programs")
	}
	samples.once.Do(func() {
		samples.dir, samples.err = os.MkdirTemp("", "artifact-samples-")
		if samples.err == nil {
			samples.err = buildSamples(samples.dir)
		}
	})
	if samples.err != nil {
		t.Fatal(samples.err)
	}
	return filepath.Join(samples.dir, name)
}

func buildSamples(dir string) error {
	for name, src := range sampleSources {
		p := filepath.Join(dir, "src", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			return err
		}
	}
	src := filepath.Join(dir, "src")
	steps := []struct {
		env  string
		args []string
	}{
		{"CGO_ENABLED=1", []string{"go", "build", "-buildmode=plugin", "-trimpath", "-o", filepath.Join(dir, dottedPlugin), "."}},
		{"CGO_ENABLED=1", []string{"go", "build", "-buildmode=plugin", "-trimpath", "-o", filepath.Join(dir, unnamedPlugin), "main.go"}},
		{"CGO_ENABLED=1", []string{"go", "build", "-trimpath", "-o", filepath.Join(dir, hostExe), "./host"}},
		{"CGO_ENABLED=0", []string{"go", "build", "-o", filepath.Join(dir, staticExe), "./host"}},
		{"", []string{"gcc", "-shared", "-fPIC", "-o", filepath.Join(dir, cLibrary), "c/answer.c"}},
		{"", []string{"gcc", "-shared", "-fPIC", "-o", filepath.Join(dir, craftedPlugin), "c/crafted.c"}},
	}
	for _, s := range steps {
		cmd := exec.Command(s.args[0], s.args[1:]...)
		cmd.Dir = src
		cmd.Env = append(os.Environ(), s.env, "GOFLAGS=-buildvcs=false", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v\n%s", strings.Join(s.args, " "), err, out)
		}
	}
	return nil
}

// arm64 is the dotted plugin built for arm64 with the cross compiler,
// once per test binary.
var arm64 struct {
	once sync.Once
	file string
	err  error
}

// arm64Plugin returns the path of the dotted plugin built for arm64. It
// skips when the cross compiler is missing, and fails then under CI=true,
// where it must be installed.
func arm64Plugin(t testing.TB) string {
	t.Helper()
	src := filepath.Join(filepath.Dir(sample(t, dottedPlugin)), "src")
	const cc = "aarch64-linux-gnu-gcc"
	if _, err := exec.LookPath(cc); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (Debian package gcc-aarch64-linux-gnu)", cc)
		}
		t.Skipf("%s is not installed", cc)
	}
	arm64.once.Do(func() {
		arm64.file = filepath.Join(samples.dir, "arm64.so")
		cmd := exec.Command("go", "build", "-buildmode=plugin", "-trimpath", "-o", arm64.file, ".")
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOARCH=arm64", "CC="+cc, "GOFLAGS=-buildvcs=false", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			arm64.err = fmt.Errorf("building the arm64 plugin: %v\n%s", err, out)
		}
	})
	if arm64.err != nil {
		t.Fatal(arm64.err)
	}
	return arm64.file
}

func TestMain(m *testing.M) {
	code := m.Run()
	if samples.dir != "" {
		os.RemoveAll(samples.dir)
	}
	os.Exit(code)
}

func TestReadPlugin(t *testing.T) {
	a, err := Open(sample(t, dottedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.CheckPlugin(); err != nil {
		t.Error(err)
	}
	if a.PluginPath != "example.com/dotted.name" {
		t.Errorf("PluginPath = %q, want example.com/dotted.name", a.PluginPath)
	}
	// The linker escapes the dot of the last path element in symbol
	// names: example.com/dotted%2ename.Plugin.
	want := map[string]elf.SymType{"Plugin": elf.STT_OBJECT, "Hello": elf.STT_FUNC}
	if fmt.Sprint(a.Exports) != fmt.Sprint(want) {
		t.Errorf("Exports = %v, want %v", a.Exports, want)
	}
	for _, pkg := range []string{"runtime", "example.com/dotted.name/dep.v2"} {
		if len(a.PkgHashes[pkg]) != 16 {
			t.Errorf("PkgHashes[%q] = %q, want 8 bytes in hex", pkg, a.PkgHashes[pkg])
		}
	}
	if got := a.Libc(); got != "glibc" {
		t.Errorf("Libc() = %q, want glibc", got)
	}
	if want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[runtime.GOARCH]; want != 0 && a.Machine != want {
		t.Errorf("Machine = %v, want %v", a.Machine, want)
	}
	if err := a.CheckHost(); !errors.Is(err, ErrIsPluginFile) {
		t.Errorf("CheckHost() = %v, want %v", err, ErrIsPluginFile)
	}
}

func TestReadCrafted(t *testing.T) {
	a, err := Open(sample(t, craftedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"runtime": "0102030405060708", "example.com/dep": "0807060504030201"}
	if fmt.Sprint(a.PkgHashes) != fmt.Sprint(want) {
		t.Errorf("PkgHashes = %v, want %v", a.PkgHashes, want)
	}
	if a.PluginPath != "example.com/x" || a.Exports["Plugin"] != elf.STT_OBJECT || a.Exports["Hello"] != elf.STT_FUNC || len(a.Exports) != 2 {
		t.Errorf("PluginPath %q, Exports %v: want example.com/x, Plugin and Hello", a.PluginPath, a.Exports)
	}
	if a.GoVersion() != "go1.26.8" || a.Setting("-trimpath") != "true" || len(a.Build.Deps) != 1 {
		t.Errorf("build info: %v", a.Build)
	}
	// Its module data says the same.
	ef, m := mapped(t, sample(t, craftedPlugin))
	if _, hashes, ok := moduleHashes(ef, m, "example.com/x"); !ok || fmt.Sprint(hashes) != fmt.Sprint(want) {
		t.Errorf("module data: %v, %v; want %v", ok, hashes, want)
	}
}

func TestReadUnnamedPlugin(t *testing.T) {
	a, err := Open(sample(t, unnamedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	if a.Build.Path != "command-line-arguments" || !strings.HasPrefix(a.PluginPath, "plugin/unnamed-") {
		t.Errorf("build info path %q, PluginPath %q: want command-line-arguments and plugin/unnamed-...", a.Build.Path, a.PluginPath)
	}
	if a.Exports["Plugin"] != elf.STT_OBJECT || a.Exports["Hello"] != elf.STT_FUNC {
		t.Errorf("Exports = %v, want Plugin and Hello", a.Exports)
	}
}

func TestReadHost(t *testing.T) {
	h, err := Open(sample(t, hostExe))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.CheckHost(); err != nil {
		t.Fatal(err)
	}
	if h.Exports != nil || h.PluginPath != "" {
		t.Errorf("a host has Exports %v, PluginPath %q", h.Exports, h.PluginPath)
	}
	p, err := Open(sample(t, dottedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	// Built by the same toolchain with the same flags, the two agree on
	// every package they share.
	shared := 0
	for pkg, hash := range p.PkgHashes {
		if hh, ok := h.PkgHashes[pkg]; ok {
			shared++
			if hh != hash {
				t.Errorf("package %s: host hash %s, plugin hash %s", pkg, hh, hash)
			}
		}
	}
	if shared < 10 {
		t.Errorf("host and plugin share %d packages, want the runtime's", shared)
	}
	if err := h.CheckPlugin(); !errors.Is(err, ErrNotPlugin) || !strings.Contains(err.Error(), "-buildmode=exe") {
		t.Errorf("CheckPlugin() = %v, want %v naming -buildmode=exe", err, ErrNotPlugin)
	}
}

func TestReadUnusable(t *testing.T) {
	clib, err := os.ReadFile(sample(t, cLibrary))
	if err != nil {
		t.Fatal(err)
	}
	plugin, err := os.ReadFile(sample(t, dottedPlugin))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"text", []byte("hello, world\n"), ErrNotELF},
		{"empty", nil, ErrNotELF},
		{"magic only", []byte(elf.ELFMAG), ErrMalformed},
		{"C library", clib, ErrNoBuildInfo},
		{"plugin cut after its headers", plugin[:4096], ErrMalformed},
		{"plugin cut in half", plugin[:len(plugin)/2], ErrMalformed},
		{"plugin less its last byte", plugin[:len(plugin)-1], ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Read(tt.name, bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) || a != nil {
				t.Errorf("Read() = %v, %v; want nil, %v", a, err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), tt.name+": ") {
				t.Errorf("error %q does not start with the file's name", err)
			}
		})
	}
}

func TestOpenDirectory(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNotELF) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Open(directory) = %v, want %v: not a regular file", err, ErrNotELF)
	}
}

func TestSymbolPrefix(t *testing.T) {
	tests := []struct{ path, want string }{
		{"example.com/hello-world", "example.com/hello-world"},
		{"example.com/dotted.name", "example.com/dotted%2ename"},
		{"gopkg.in/yaml.v3", "gopkg.in/yaml%2ev3"},
		{"plain", "plain"},
		{"a.b", "a%2eb"},
		{`x/has space/q"%`, "x/has%20space/q%22%25"},
	}
	for _, tt := range tests {
		if got := symbolPrefix(tt.path); got != tt.want {
			t.Errorf("symbolPrefix(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// FuzzRead feeds Read mutations of real files: it must return a File or
// one of the package's errors, and never panic. debug/elf's own panics are
// turned into errors; this package's code is not guarded, so a panic in
// it fails here.
func FuzzRead(f *testing.F) {
	f.Add([]byte("not an ELF file"))
	f.Add([]byte(elf.ELFMAG))
	if !testing.Short() {
		for _, name := range []string{craftedPlugin, cLibrary, dottedPlugin} {
			data, err := os.ReadFile(sample(f, name))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Read("fuzz", bytes.NewReader(data))
		if err != nil {
			if a != nil {
				t.Fatalf("Read returned a File and the error %v", err)
			}
			for _, known := range []error{ErrNotELF, ErrMalformed, ErrNoBuildInfo} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("Read: unexpected error %v", err)
		}
		if a.Build == nil {
			t.Fatal("Read returned a File without build info")
		}
		// The methods callers use must hold up on whatever was read.
		a.Libc()
		a.GoVersion()
		a.Tags()
		_ = a.CheckHost()
		_ = a.CheckPlugin()
	})
}
