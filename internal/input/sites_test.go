package input

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// unbounded are the calls that read or open a file with no size limit or
// regular-file check. Outside this package they are a mistake: every file
// scaffold reads is read through ReadFile or Open.
var unbounded = map[string]bool{
	"os.ReadFile": true, "os.Open": true, "ioutil.ReadFile": true,
	"elf.Open": true, "buildinfo.ReadFile": true,
}

// allowed lists the places that may call them anyway, and why.
var allowed = map[string]string{
	"internal/testbed":  "builds the test world from the repository's own files",
	"cmd/scaffold/e2e":  "runs the end-to-end scripts, on the test world's and the scripts' own files",
	"internal/modproxy": "serves the test world's modules",
	"examples":          "example hosts, not scaffold",
	// A file, not a directory:
	"internal/filetree/dirlock.go": "opens a directory to lock it, reads nothing",
}

// TestEveryReadIsBounded parses scaffold's own source and fails on an
// unbounded read of a file outside the allowed places: a new input site
// must use ReadFile or Open.
func TestEveryReadIsBounded(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if _, ok := allowed[rel]; ok || strings.HasPrefix(d.Name(), ".") && p != root || d.Name() == "testdata" || rel == "internal/input" {
				return filepath.SkipDir
			}
			return nil
		}
		if _, ok := allowed[rel]; ok || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && unbounded[x.Name+"."+sel.Sel.Name] {
				t.Errorf("%s: %s.%s reads a file without a size limit or a regular-file check: use input.ReadFile or input.Open", fset.Position(sel.Pos()), x.Name, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
