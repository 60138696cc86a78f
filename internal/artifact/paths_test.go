package artifact

import (
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

func TestFileNames(t *testing.T) {
	ef, err := elf.Open(sample(t, hostExe))
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	names, err := fileNames(ef, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Built with -trimpath: the main package's file by its import path.
	if !slices.Contains(names, "example.com/dotted.name/host/main.go") {
		t.Errorf("the file table lacks the host's main.go: %q", names)
	}
	if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "runtime/proc.go") }) {
		t.Errorf("the file table lacks the runtime's proc.go")
	}
}

// TestFileNamesInData reads the file table of a plugin whose Go symbol
// table is not in a section of its own, as some linkers place it: the
// same names are found among its read-only data by the table's header.
// A file without the table says so.
func TestFileNamesInData(t *testing.T) {
	plugin := sample(t, dottedPlugin)
	moved := filepath.Join(t.TempDir(), "moved.so")
	if out, err := exec.Command("objcopy", "--rename-section", ".gopclntab=.data.rel.ro.pcln", plugin, moved).CombinedOutput(); err != nil {
		t.Fatalf("objcopy: %v\n%s", err, out)
	}
	names := func(file string) ([]string, error) {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		ef, err := elf.NewFile(f)
		if err != nil {
			t.Fatal(err)
		}
		return fileNames(ef, f)
	}
	want, err := names(plugin)
	if err != nil {
		t.Fatal(err)
	}
	got, err := names(moved)
	if err != nil {
		t.Fatalf("the table moved out of .gopclntab: %v", err)
	}
	if !slices.Equal(got, want) || !slices.Contains(got, "example.com/dotted.name/main.go") {
		t.Errorf("the table moved out of .gopclntab lists %d names, want the %d of .gopclntab, main.go among them", len(got), len(want))
	}
	if _, err := names(sample(t, cLibrary)); !errors.Is(err, errNoFileTable) {
		t.Errorf("a C library: got %v, want %v", err, errNoFileTable)
	}
}

func TestModCache(t *testing.T) {
	deps := []*debug.Module{
		{Path: "example.com/gateway/sdk", Version: "v1.0.0"},
		{Path: "github.com/BurntSushi/toml", Version: "v1.4.0"},
		{Path: "example.com/textkit", Version: "v1.1.0", Replace: &debug.Module{Path: "example.com/fork/textkit", Version: "v1.1.1"}},
		{Path: "example.com/legacy", Version: "v0.0.0", Replace: &debug.Module{Path: "./third_party/legacy"}},
	}
	file := func(hashed ...string) *File {
		f := &File{Build: &buildinfo.BuildInfo{Deps: deps}, PkgHashes: map[string]string{}}
		for _, p := range hashed {
			f.PkgHashes[p] = "01"
		}
		return f
	}
	tests := []struct {
		name   string
		hashed []string
		files  []string
		want   string
		err    string
	}{{
		name:  "one module cache",
		files: []string{"/usr/local/go/src/runtime/proc.go", "/home/ci/go/pkg/mod/example.com/gateway/sdk@v1.0.0/sdk.go", "/src/gateway/main.go"},
		want:  "/home/ci/go/pkg/mod",
	}, {
		name:  "escaped path, replaced module, a cache path holding an '@'",
		files: []string{"/w/a@b/mod/github.com/!burnt!sushi/toml@v1.4.0/decode.go", "/w/a@b/mod/example.com/fork/textkit@v1.1.1/textkit.go"},
		want:  "/w/a@b/mod",
	}, {
		name:  "the replaced module's own path is not the cache",
		files: []string{"/src/gateway/third_party/legacy/legacy.go", "/x/example.com/textkit@v1.1.0/textkit.go"},
	}, {
		name:  "two module caches",
		files: []string{"/a/mod/example.com/gateway/sdk@v1.0.0/sdk.go", "/b/mod/github.com/!burnt!sushi/toml@v1.4.0/decode.go"},
		err:   "two module caches, /a/mod and /b/mod",
	}, {
		name:   "a linked module package whose files left no trace",
		hashed: []string{"runtime", "example.com/legacy", "example.com/textkit/wrap"},
		files:  []string{"/usr/local/go/src/runtime/proc.go"},
		err:    "links packages of example.com/textkit from the module cache but records none of their source files",
	}, {
		name:   "only a directory module linked",
		hashed: []string{"runtime", "example.com/legacy"},
		files:  []string{"/src/gateway/third_party/legacy/legacy.go"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := file(tt.hashed...).modCache(tt.files)
			switch {
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("modCache() error %v, want one saying %q", err, tt.err)
			case tt.err == "" && err != nil:
				t.Errorf("modCache(): %v", err)
			case got != tt.want:
				t.Errorf("modCache() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestModCacheHostileNames: the file table is the file's own, and a
// crafted one holds names no compiler opened. Looking for a module
// directory in them must take time in proportion to the table. Looked
// for from every slash before every '@', 48 KB of "/a@" took 1.7 s and
// 786 KB no answer within 20 s, the time growing as the square of the
// name's length; so did 16 MB of names of a page each.
func TestModCacheHostileNames(t *testing.T) {
	var deps []*debug.Module
	for i := range 100 {
		deps = append(deps, &debug.Module{Path: fmt.Sprintf("example.com/m%d", i), Version: "v1.0.0"})
	}
	f := &File{Build: &buildinfo.BuildInfo{Deps: deps}}
	pages := func(name string) []string { return slices.Repeat([]string{name}, 4096) }
	for _, names := range [][]string{
		{strings.Repeat("/a@", 1<<18)},
		{strings.Repeat("/", 1<<20) + "@/"},
		pages(strings.Repeat("/a@", 1333)),
		pages(strings.Repeat("/", 4000) + "@/"),
		{strings.Repeat("/a@", 1000) + "/example.com/m7@v1.0.0/m.go"},
	} {
		// Each took more than 20 s before; now milliseconds. A
		// regression shows as the test binary's timeout.
		if _, err := f.modCache(names); err != nil {
			t.Errorf("%d names, the first %q...: %v", len(names), names[0][:12], err)
		}
	}
	// A real name after a hostile one is still found.
	got, err := f.modCache([]string{strings.Repeat("/a@", 1000), "/c/@x/mod/example.com/m7@v1.0.0/m.go"})
	if err != nil || got != "/c/@x/mod" {
		t.Errorf("modCache() = %q, %v, want /c/@x/mod", got, err)
	}
}
