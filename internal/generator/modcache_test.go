package generator

import (
	"strings"
	"testing"
)

// TestModCache renders a plugin for a host built without -trimpath: the
// Makefile builds from the host's module cache path and refuses another,
// and the Dockerfiles keep their module cache at that path.
func TestModCache(t *testing.T) {
	o := helloWorld(t)
	m := *o.Manifest
	m.Build.Trimpath, m.Build.GOMODCACHE = false, "/home/ci/go/pkg/mod"
	o.Manifest = &m
	tree, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	mk := string(tree["Makefile"])
	for _, want := range []string{
		"HOST_GOMODCACHE     := /home/ci/go/pkg/mod\n",
		"export GOMODCACHE   := $(HOST_GOMODCACHE)\n",
		"\ngomodcache:\n",
		"build with GOMODCACHE=$(HOST_GOMODCACHE)",
	} {
		if !strings.Contains(mk, want) {
			t.Errorf("Makefile lacks %q", want)
		}
	}
	for _, target := range []string{"build:", "download:", "tidy:"} {
		i := strings.Index(mk, "\n"+target)
		if i < 0 {
			t.Fatalf("Makefile has no %s target", target)
		}
		line, _, _ := strings.Cut(mk[i+1:], "##")
		if !strings.Contains(line, " gomodcache") {
			t.Errorf("%s does not check the module cache path first: %q", target, line)
		}
	}
	if i := strings.Index(mk, "\nHOST_FLAGS"); i < 0 || strings.Contains(strings.SplitN(mk[i+1:], "\n", 2)[0], "-trimpath") {
		t.Errorf("the Makefile builds with -trimpath for a host built without it")
	}
	for _, family := range o.Libc {
		df := string(tree["Dockerfile."+family])
		if n := strings.Count(df, "--mount=type=cache,target=/home/ci/go/pkg/mod "); n != 2 {
			t.Errorf("Dockerfile.%s mounts the module cache at the host's path %d times, want 2:\n%s", family, n, df)
		}
	}
}
