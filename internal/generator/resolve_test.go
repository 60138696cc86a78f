package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestResolveOwnRequirementBelowHost resolves a plugin of the example
// gateway v1.2.0, whose textkit needs jsonkit v1.1.0 and that asmkit
// v1.1.0, with a requirement of the plugin's own on asmkit. At v1.0.0 it
// cannot be kept without lowering textkit below the host's version: the
// resolution fails in its first round (no module pinned), naming asmkit,
// both versions and what needs the higher one. At v1.1.0 it resolves and
// stays.
func TestResolveOwnRequirementBelowHost(t *testing.T) {
	if testing.Short() {
		t.Skip("resolves modules with the go command")
	}
	m, err := manifest.Load(filepath.Join(world.Examples, "gateway", "releases", "v1.2.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		version string
		err     string
	}{
		{"v1.0.0", "the plugin requires example.com/asmkit v1.0.0, but example.com/jsonkit@v1.1.0, at the host's module versions, needs v1.1.0: holding v1.0.0 would lower the host's modules, and the host would refuse the plugin; require example.com/asmkit v1.1.0, or drop the requirement"},
		{"v1.1.0", ""},
	} {
		t.Run(tc.version, func(t *testing.T) {
			var log strings.Builder
			o := Options{
				Name: "p", Module: "example.com/p", Libc: []string{manifest.Glibc}, Manifest: m, Env: world.Env, Log: &log,
				Requires: []module.Version{{Path: "example.com/asmkit", Version: tc.version}},
			}
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := tree.WriteTo(dir); err != nil {
				t.Fatal(err)
			}
			err = Resolve(context.Background(), dir, &o)
			if strings.Contains(log.String(), "pinning") {
				t.Errorf("the resolution pinned modules, taking more than one round:\n%s", log.String())
			}
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("got error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gm, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"\texample.com/asmkit v1.1.0 // indirect", "\texample.com/textkit v1.4.0 // indirect"} {
				if !strings.Contains(string(gm), want+"\n") {
					t.Errorf("go.mod lacks %q:\n%s", want, gm)
				}
			}
		})
	}
}

// TestSumdbHint: a module the checksum database does not know is named,
// with the setting that lets it through.
func TestSumdbHint(t *testing.T) {
	err := errors.New("go mod tidy: example.com/gateway/sdk@v1.0.0: verifying module: example.com/gateway/sdk@v1.0.0: reading https://proxy.golang.org/sumdb/sum.golang.org/lookup/example.com/gateway/sdk@v1.0.0: 404 Not Found")
	if got, want := sumdbHint(err), "set GONOSUMDB=example.com/gateway/sdk in the environment"; !strings.Contains(got, want) {
		t.Errorf("got %q, want it to say %q", got, want)
	}
	if got := sumdbHint(errors.New("go mod tidy: no required module provides package x")); got != "" {
		t.Errorf("an error of another kind got the hint %q", got)
	}
}
