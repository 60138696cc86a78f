package pins

import (
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestCompare holds compiled modules to the host's: the same version from
// the same source passes; another version, a workspace's source, or a
// replacement other than the host's is named with its fix; a module the
// host does not build, or one compiled twice, counts once or not at all.
func TestCompare(t *testing.T) {
	m := &manifest.Manifest{
		Host: manifest.Host{Name: "gateway", Version: "v1.0.0", Module: "example.com/gateway"},
		SDK:  manifest.SDK{Module: "example.com/gateway/sdk", Version: "v1.0.0"},
		Modules: []manifest.Module{
			{Path: "example.com/gateway/sdk", Version: "v1.0.0"},
			{Path: "example.com/textkit", Version: "v1.1.0"},
			{Path: "example.com/forked", Version: "v1.0.0", Replace: &manifest.Module{Path: "example.com/fork", Version: "v1.0.1"}},
			{Path: "example.com/logkit", Version: "v1.1.0"},
			{Path: "example.com/local", Version: "v0.0.0", Replace: &manifest.Module{Path: "../local"}},
		},
	}
	b := &Build{Manifest: m}
	pkg := func(path, version string, main bool, rep *Module) Package {
		return Package{ImportPath: path + "/p", Module: &Module{Path: path, Version: version, Main: main, Replace: rep}}
	}
	shared, bad := b.compare([]Package{
		{ImportPath: "fmt", Standard: true},
		pkg("example.com/gateway/sdk", "v1.0.0", false, nil),
		pkg("example.com/gateway/sdk", "v1.0.0", false, nil),
		pkg("example.com/textkit", "v1.2.0", false, nil),
		pkg("example.com/forked", "v1.0.0", false, &Module{Path: "example.com/fork", Version: "v1.0.1"}),
		pkg("example.com/logkit", "v1.1.0", false, &Module{Path: "../logkit"}),
		pkg("example.com/mine", "v0.3.0", false, nil),
		pkg("example.com/local", "", true, nil),
	})
	if shared != 4 {
		t.Errorf("shared %d, want 4 (the SDK, textkit, forked, logkit)", shared)
	}
	var got []string
	for _, x := range bad {
		got = append(got, x.String())
	}
	want := []string{
		"example.com/logkit v1.1.0: replaced by ../logkit, but gateway v1.0.0 builds it as published, and would refuse the plugin: remove the replace directive of example.com/logkit from go.mod",
		"example.com/textkit v1.2.0: gateway v1.0.0 builds v1.1.0, and would refuse the plugin: make get MODULE=example.com/textkit@v1.1.0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("mismatches:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !bad[1].Repin || bad[0].Repin {
		t.Errorf("only the other version is fixed by requiring the host's: %+v", bad)
	}

	// A workspace's copy of a module the host builds.
	_, bad = b.compare([]Package{pkg("example.com/textkit", "", true, nil)})
	if len(bad) != 1 || !strings.Contains(bad[0].String(), "example.com/textkit (devel): compiled from a workspace's source, but gateway v1.0.0 builds v1.1.0") {
		t.Errorf("workspace copy: %v", bad)
	}
}

// TestModFile checks the module file a build of a repository built for
// several host releases names: go.mod without one, else the release's,
// with its go.sum beside it, given to the go command with -modfile.
func TestModFile(t *testing.T) {
	for _, tt := range []struct {
		modFile, mod, sum string
		flags             []string
	}{
		{"", "go.mod", "go.sum", nil},
		{"go.mod", "go.mod", "go.sum", nil},
		{"releases/v0.9.0/go.mod", "releases/v0.9.0/go.mod", "releases/v0.9.0/go.sum", []string{"-modfile=releases/v0.9.0/go.mod"}},
	} {
		b := &Build{ModFile: tt.modFile}
		if got := b.GoMod(); got != tt.mod {
			t.Errorf("ModFile %q: GoMod %q, want %q", tt.modFile, got, tt.mod)
		}
		if got := b.GoSum(); got != tt.sum {
			t.Errorf("ModFile %q: GoSum %q, want %q", tt.modFile, got, tt.sum)
		}
		if got := b.modFlags(); !slices.Equal(got, tt.flags) {
			t.Errorf("ModFile %q: flags %q, want %q", tt.modFile, got, tt.flags)
		}
	}
}
