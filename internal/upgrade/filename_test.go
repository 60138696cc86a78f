package upgrade

import (
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/filetree"
)

// TestStubFileNotConstrained names stub files for host versions that end
// like a build constraint, and asks go/build, on several platforms,
// whether it would compile each file.
func TestStubFileNotConstrained(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		version string
		i       int
		want    string
	}{
		{"v1.0.0", 1, "hooks_v1.0.0.go"},
		{"v1.0.0", 2, "hooks_v1.0.0_2.go"},
		{"v1.0.0_test", 1, "hooks_v1.0.0_test_stubs.go"},
		{"v1.0.0_windows", 1, "hooks_v1.0.0_windows_stubs.go"},
		{"v1.0.0_arm64", 1, "hooks_v1.0.0_arm64_stubs.go"},
		{"v1.0.0_linux_amd64", 1, "hooks_v1.0.0_linux_amd64_stubs.go"},
		{"v1.0.0_linux", 1, "hooks_v1.0.0_linux_stubs.go"},
		{"linux", 1, "hooks_linux_stubs.go"},
		{"v1.0.0_unix", 1, "hooks_v1.0.0_unix.go"},
		{"v2_wasm", 3, "hooks_v2_wasm_3.go"},
	} {
		got := stubFile(tt.version, tt.i)
		if got != tt.want {
			t.Errorf("stubFile(%q, %d) = %s, want %s", tt.version, tt.i, got, tt.want)
		}
		if err := os.WriteFile(filepath.Join(dir, got), []byte("package main\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, platform := range []string{"linux/amd64", "windows/arm64", "darwin/arm64", "linux/386"} {
			ctxt := build.Default
			ctxt.GOOS, ctxt.GOARCH, _ = strings.Cut(platform, "/")
			ok, err := ctxt.MatchFile(dir, got)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || strings.HasSuffix(got, "_test.go") {
				t.Errorf("%s is left out of a %s build", got, platform)
			}
		}
	}
}

// TestStubsForConstrainedVersion writes stubs for host releases whose
// versions end like build constraints: the file holding them is one the
// build compiles.
func TestStubsForConstrainedVersion(t *testing.T) {
	for _, v := range []string{"v1.0.0_test", "v1.0.0_windows", "v1.0.0_arm64"} {
		m := release(t, "v1.0.0")
		m.Host.Version = v
		u := &upgrader{o: &Options{Manifest: m}, res: &Result{}, out: filetree.Tree{}, src: filetree.Tree{}}
		file, err := u.writeStubs("helloWorld", []Change{{Kind: MemberAdded, Name: "Name", Method: true, New: "func() string"}})
		if err != nil {
			t.Fatal(err)
		}
		if want := "hooks_" + v + "_stubs.go"; file != want {
			t.Errorf("host %s: stubs in %s, want %s", v, file, want)
		}
	}
}
