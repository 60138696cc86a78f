package release

import (
	"debug/buildinfo"
	"errors"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

func binary(trimpath bool, modCache string, modCacheErr error) *artifact.File {
	b := &artifact.File{Build: &buildinfo.BuildInfo{Main: debug.Module{Path: "example.com/mono"}}, ModCache: modCache, ModCacheErr: modCacheErr}
	if trimpath {
		b.Build.Settings = []debug.BuildSetting{{Key: "-trimpath", Value: "true"}}
	}
	return b
}

func TestModCache(t *testing.T) {
	noTrace := errors.New("it links packages of example.com/textkit from the module cache but records none of their source files")
	tests := []struct {
		name  string
		bin   *artifact.File
		given string
		want  string
		err   string
	}{
		{name: "with -trimpath", bin: binary(true, "", nil)},
		{name: "with -trimpath, a path given", bin: binary(true, "", nil), given: "/go/pkg/mod", err: "--gomodcache: the binary was built with -trimpath"},
		{name: "read from the binary", bin: binary(false, "/home/ci/go/pkg/mod", nil), want: "/home/ci/go/pkg/mod"},
		{name: "given as the binary says", bin: binary(false, "/home/ci/go/pkg/mod", nil), given: "/home/ci/go/pkg/mod", want: "/home/ci/go/pkg/mod"},
		{name: "given otherwise", bin: binary(false, "/home/ci/go/pkg/mod", nil), given: "/go/pkg/mod", err: "--gomodcache: /go/pkg/mod, but the binary was built from the module cache /home/ci/go/pkg/mod"},
		{name: "nothing from the module cache", bin: binary(false, "", nil)},
		{name: "nothing from the module cache, a path given", bin: binary(false, "", nil), given: "/go/pkg/mod", err: "compiled no package from the module cache"},
		{name: "untold", bin: binary(false, "", noTrace), err: "give --gomodcache with the GOMODCACHE of the release build, or build the release with -trimpath"},
		{name: "untold, given", bin: binary(false, "", noTrace), given: "/go/pkg/mod", want: "/go/pkg/mod"},
		{name: "untold, given badly", bin: binary(false, "", noTrace), given: "go/pkg/mod", err: `--gomodcache: "go/pkg/mod" is not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := modCache(tt.bin, tt.given)
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

func TestUntrimmedHostModule(t *testing.T) {
	m := &manifest.Manifest{
		Host: manifest.Host{Module: "example.com/mono", Source: &manifest.Source{Repository: "https://example.com/mono.git"}},
		SDK:  manifest.SDK{Module: "example.com/mono"},
	}
	if err := untrimmedHostModule(m, binary(true, "", nil)); err != nil {
		t.Errorf("built with -trimpath: %v", err)
	}
	if err := untrimmedHostModule(m, binary(false, "", nil)); err == nil || !strings.Contains(err.Error(), "build the release with -trimpath") {
		t.Errorf("built without -trimpath: %v, want a refusal", err)
	}
	m.SDK.Module = "example.com/sdk"
	if err := untrimmedHostModule(m, binary(false, "", nil)); err != nil {
		t.Errorf("an SDK host without -trimpath: %v", err)
	}
}
