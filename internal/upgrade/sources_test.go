package upgrade

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/filetree"
)

// TestSourcesReadsOnlyGoFiles: the module's sources are chosen by name
// before anything is read. Files over the limit of what a repository's
// file may be (as a real host's plugins are) in dist/, under a path
// .gitignore names, or with another suffix, are never opened, and neither
// is anything in a directory the go command ignores, a nested module or
// a directory a .gitignore names; a nested .gitignore applies below it.
func TestSourcesReadsOnlyGoFiles(t *testing.T) {
	dir := t.TempDir()
	big := func(p string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(full)
		if err != nil {
			t.Fatal(err)
		}
		// Sparse: 40 MB on no disk.
		if err := f.Truncate(40 << 20); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	small := func(p, content string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	big("dist/p_v0.1.0_gateway-v1.2.0_linux_amd64_glibc.so")
	big("dist/huge.go")
	big("plugin.so")
	big("out/artifact.go")
	big("core")
	big("sub/gen/big.go")
	big("sub/local.go")
	big("_tools/big.go")
	big("testdata/big.go")
	big("nested/big.go")
	small(".gitignore", "/dist/\n*.so\n/out/\ngen/\n")
	small("sub/.gitignore", "local.go\n")
	small("go.mod", "module example.com/p\n")
	small("go.sum", "")
	small("plugin.go", "package main\n")
	small("sub/sub.go", "package sub\n")
	small("nested/go.mod", "module example.com/nested\n")
	small("README.md", "# p\n")

	root, err := filetree.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	r := &repo{dir: dir, root: root}
	tree, err := r.sources()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tree.Paths(), []string{"go.mod", "go.sum", "plugin.go", "sub/sub.go"}; !slices.Equal(got, want) {
		t.Errorf("sources read %q, want %q", got, want)
	}
}
