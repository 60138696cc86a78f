package target

import (
	"go/build"
	"go/build/constraint"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

var gateway = List{Host: "gateway", Versions: []string{"v0.9.0", "v1.0.0", "v1.1.0"}}

func release(name, version, module string) *manifest.Manifest {
	return &manifest.Manifest{Host: manifest.Host{Name: name, Version: version, Module: module}}
}

func TestSort(t *testing.T) {
	ms := []*manifest.Manifest{
		release("gateway", "v1.10.0", "example.com/gateway"),
		release("gateway", "v0.9.0", "example.com/gateway"),
		release("gateway", "v1.2.0", "example.com/gateway"),
	}
	if err := Sort(ms); err != nil {
		t.Fatal(err)
	}
	if got, want := Of(ms).Versions, []string{"v0.9.0", "v1.2.0", "v1.10.0"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, tt := range []struct {
		name string
		ms   []*manifest.Manifest
		want string
	}{
		{"two hosts", []*manifest.Manifest{release("gateway", "v1.0.0", "example.com/gateway"), release("relay", "v1.0.0", "example.com/relay")}, "releases of different hosts"},
		{"one host, two modules", []*manifest.Manifest{release("gateway", "v1.0.0", "example.com/gateway"), release("gateway", "v1.1.0", "example.com/other")}, "releases of different hosts"},
		{"twice", []*manifest.Manifest{release("gateway", "v1.0.0", "m"), release("gateway", "v1.0.0", "m")}, "given twice"},
		{"not semver", []*manifest.Manifest{release("gateway", "2024.1", "m"), release("gateway", "v1.0.0", "m")}, "not a semantic version"},
		{"same tag", []*manifest.Manifest{release("gateway", "v1.0.0-a", "m"), release("gateway", "v1.0.0+a", "m")}, "same build tag gateway_v1.0.0_a"},
	} {
		err := Sort(tt.ms)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	// One release need not be a semantic version: nothing orders it.
	if err := Sort([]*manifest.Manifest{release("gateway", "2024.1", "m")}); err != nil {
		t.Errorf("one release: %v", err)
	}
}

func TestPaths(t *testing.T) {
	for _, tt := range []struct {
		v, tag, mod, sum string
		tags             []string
	}{
		{"v0.9.0", "gateway_v0.9.0", "releases/v0.9.0/go.mod", "releases/v0.9.0/go.sum", []string{"gateway_v0.9.0"}},
		{"v1.1.0", "gateway_v1.1.0", "go.mod", "go.sum", nil},
	} {
		if got := gateway.Tag(tt.v); got != tt.tag {
			t.Errorf("Tag(%s) = %s, want %s", tt.v, got, tt.tag)
		}
		if got := gateway.ModFile(tt.v); got != tt.mod {
			t.Errorf("ModFile(%s) = %s, want %s", tt.v, got, tt.mod)
		}
		if got := SumFile(gateway.ModFile(tt.v)); got != tt.sum {
			t.Errorf("SumFile(%s) = %s, want %s", tt.mod, got, tt.sum)
		}
		if got := gateway.Tags(tt.v); !slices.Equal(got, tt.tags) {
			t.Errorf("Tags(%s) = %q, want %q", tt.v, got, tt.tags)
		}
	}
	if got, want := (List{Host: "my-host", Versions: []string{"v1.0.0-rc.1+meta"}}).Tag("v1.0.0-rc.1+meta"), "my_host_v1.0.0_rc.1_meta"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestExpr holds each set's expression to what it must select, evaluated
// as the go command would for each release's build.
func TestExpr(t *testing.T) {
	for _, tt := range []struct {
		set  []string
		want string
	}{
		{[]string{"v0.9.0"}, "gateway_v0.9.0"},
		{[]string{"v0.9.0", "v1.0.0"}, "gateway_v0.9.0 || gateway_v1.0.0"},
		{[]string{"v1.1.0"}, "!gateway_v0.9.0 && !gateway_v1.0.0"},
		{[]string{"v1.0.0", "v1.1.0"}, "!gateway_v0.9.0"},
		{[]string{"v0.9.0", "v1.1.0"}, "!gateway_v1.0.0"},
		{[]string{"v0.9.0", "v1.0.0", "v1.1.0"}, ""},
	} {
		got := gateway.Expr(tt.set)
		if got != tt.want {
			t.Errorf("Expr(%q) = %q, want %q", tt.set, got, tt.want)
			continue
		}
		if got == "" {
			continue
		}
		x, err := constraint.Parse("//go:build " + got)
		if err != nil {
			t.Fatal(err)
		}
		builds, ok := gateway.Builds(x)
		if !ok || !slices.Equal(builds, tt.set) {
			t.Errorf("%q builds %q (%v), want %q", got, builds, ok, tt.set)
		}
	}
}

func TestBuildsOtherTags(t *testing.T) {
	dropped := []List{{Host: "gateway", Versions: []string{"v0.8.0"}}}
	for _, tt := range []struct {
		expr  string
		other []List
		set   []string
		ok    bool
	}{
		{"gateway_v0.9.0 && linux", dropped, nil, false},
		// The tag of a release no list has is another tag.
		{"gateway_v0.8.0", nil, nil, false},
		{"!gateway_v0.9.0", dropped, []string{"v1.0.0", "v1.1.0"}, true},
		// A release the list no longer has: never set.
		{"gateway_v0.8.0 || gateway_v1.0.0", dropped, []string{"v1.0.0"}, true},
	} {
		x, err := constraint.Parse("//go:build " + tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		set, ok := gateway.Builds(x, tt.other...)
		if ok != tt.ok || !slices.Equal(set, tt.set) {
			t.Errorf("%s (other lists %v): got %q, %v; want %q, %v", tt.expr, tt.other, set, ok, tt.set, tt.ok)
		}
	}
}

func TestRetag(t *testing.T) {
	for _, tt := range []struct {
		name, src, expr, want string
	}{
		{"replace", "//go:build a\n\npackage main\n", "b || c", "//go:build b || c\n\npackage main\n"},
		{"remove", "// Copyright\n\n//go:build a\n\npackage main\n", "", "// Copyright\n\npackage main\n"},
		{"insert", "package main\n", "a", "//go:build a\n\npackage main\n"},
		{"none", "package main\n", "", "package main\n"},
		{"not in the body", "package main\n\n//go:build a\n", "b", "//go:build b\n\npackage main\n\n//go:build a\n"},
	} {
		got, err := Retag([]byte(tt.src), tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(got) != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
	if _, err := Retag([]byte("//go:build a\n// +build a\n\npackage main\n"), "b"); err == nil {
		t.Error("a file with // +build lines was retagged")
	}
}

// TestSplitBuilds splits renderings that differ in one method and one
// test, writes the files, and asks go/build which each release's build
// compiles: every rendering's declarations, each once.
func TestSplitBuilds(t *testing.T) {
	l := List{Host: "gateway", Versions: []string{"v0.9.0", "v1.0.0"}}
	old := `// Command p is a plugin.
package main

import (
	"context"

	"example.com/gateway/sdk"
)

const pluginName = "p"

// OnRequest changes the request in place.
func (p *plugin) OnRequest(ctx context.Context, req *sdk.Request) error {
	return nil
}

type plugin struct{}
`
	new := `// Command p is a plugin.
package main

import (
	"context"

	"example.com/gateway/sdk"
)

const pluginName = "p"

// Name returns the plugin's name.
func (p *plugin) Name() string { return pluginName } // the name

// OnRequest returns the request to pass on.
func (p *plugin) OnRequest(ctx context.Context, req *sdk.Request) (*sdk.Request, error) {
	return req, nil
}

type plugin struct{}
`
	files, err := l.Split("plugin.go", []Render{{"v0.9.0", []byte(old)}, {"v1.0.0", []byte(new)}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	if want := []string{"plugin.go", "plugin_gateway_v0.9.0.go", "plugin_gateway_v1.0.0.go"}; !slices.Equal(names, want) {
		t.Fatalf("files %q, want %q", names, want)
	}
	if got := string(files["plugin.go"]); !strings.HasPrefix(got, "// Command p is a plugin.\npackage main\n") || strings.Contains(got, "OnRequest") || strings.Contains(got, "import") {
		t.Errorf("plugin.go holds:\n%s", got)
	}
	if got := string(files["plugin_gateway_v1.0.0.go"]); !strings.HasPrefix(got, "//go:build !gateway_v0.9.0\n") || !strings.Contains(got, "{ return pluginName } // the name") || !strings.Contains(got, "\"example.com/gateway/sdk\"") {
		t.Errorf("plugin_gateway_v1.0.0.go holds:\n%s", got)
	}
	dir := t.TempDir()
	for n, data := range files {
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		v    string
		want []string
	}{
		{"v0.9.0", []string{"plugin.go", "plugin_gateway_v0.9.0.go"}},
		{"v1.0.0", []string{"plugin.go", "plugin_gateway_v1.0.0.go"}},
	} {
		ctxt := build.Default
		ctxt.BuildTags = l.Tags(tt.v)
		pkg, err := ctxt.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(pkg.GoFiles, tt.want) {
			t.Errorf("%s builds %q, want %q", tt.v, pkg.GoFiles, tt.want)
		}
	}

	// Renderings alike are the newest's, untouched.
	same, err := l.Split("plugin.go", []Render{{"v0.9.0", []byte(new)}, {"v1.0.0", []byte(new)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(same) != 1 || string(same["plugin.go"]) != new {
		t.Errorf("alike renderings split into %d files", len(same))
	}
}

func TestPieceName(t *testing.T) {
	taken := map[string]bool{}
	for _, tt := range []struct {
		name string
		set  []string
		want string
	}{
		{"plugin.go", []string{"v0.9.0"}, "plugin_gateway_v0.9.0.go"},
		{"plugin_test.go", []string{"v1.0.0", "v1.1.0"}, "plugin_gateway_v1.0.0_test.go"},
		{"_loadtest/main.go", []string{"v0.9.0"}, "_loadtest/main_gateway_v0.9.0.go"},
		{"plugin.go", []string{"v0.9.0", "v1.0.0"}, "plugin_gateway_v0.9.0_gateway_v1.0.0.go"},
	} {
		got := gateway.PieceName(tt.name, tt.set, taken)
		if got != tt.want {
			t.Errorf("PieceName(%s, %q) = %s, want %s", tt.name, tt.set, got, tt.want)
		}
		taken[got] = true
	}
	l := List{Host: "gateway", Versions: []string{"v1.0.0-linux"}}
	if got, want := l.PieceName("plugin.go", l.Versions, nil), "plugin_gateway_v1.0.0_linux_release.go"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		tags []string
		want string
	}{
		{nil, "v1.1.0"},
		{[]string{"gateway"}, "v1.1.0"},
		{[]string{"gateway", "gateway_v0.9.0"}, "v0.9.0"},
		{[]string{"gateway_v1.1.0"}, "v1.1.0"},
		{[]string{"gateway_v0.8.0"}, "v1.1.0"},
		{[]string{"gateway_v0.9.0", "gateway_v1.0.0"}, "built with the tags of gateway v0.9.0 and v1.0.0: a build is for one release"},
	} {
		got, err := gateway.Match(tt.tags)
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Match(%q) = %s, want %s", tt.tags, got, tt.want)
		}
	}
}

// TestUntag removes a piece file's constraint and the note beside it.
func TestUntag(t *testing.T) {
	l := List{Host: "gateway", Versions: []string{"v0.9.0", "v1.0.0"}}
	files, err := l.Split("plugin.go", []Render{
		{"v0.9.0", []byte("package main\n\nfunc A() {}\n")},
		{"v1.0.0", []byte("package main\n\nfunc B() {}\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Untag(files["plugin_gateway_v1.0.0.go"])
	if err != nil {
		t.Fatal(err)
	}
	if want := "package main\n\nfunc B() {}\n"; string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
