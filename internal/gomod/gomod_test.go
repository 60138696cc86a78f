package gomod

import (
	"fmt"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

const existing = `module example.com/p

go 1.26

require (
	example.com/a v1.0.0
	example.com/b v1.0.0 // indirect
	example.com/a v1.1.0
)

require example.com/c v1.0.0 // a comment of the author's

replace example.com/a => example.com/fork v1.0.0
`

// TestRequireAllAsAddRequire holds requireAll and replaceAll to what
// modfile's AddRequire and AddReplace, one call each, make of the same
// file: the same bytes.
func TestRequireAllAsAddRequire(t *testing.T) {
	reqs := []module.Version{{Path: "example.com/a", Version: "v1.2.0"}, {Path: "example.com/d", Version: "v0.1.0"},
		{Path: "example.com/b", Version: "v1.3.0"}, {Path: "example.com/d", Version: "v0.2.0"}, {Path: "example.com/e", Version: "v1.0.0"}}
	reps := []modfile.Replace{{Old: module.Version{Path: "example.com/a"}, New: module.Version{Path: "example.com/fork", Version: "v1.1.0"}},
		{Old: module.Version{Path: "example.com/e"}, New: module.Version{Path: "example.com/efork", Version: "v1.0.0"}}}
	for _, src := range []string{existing, "module example.com/p\n"} {
		one, err := modfile.Parse("go.mod", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			if err := one.AddRequire(r.Path, r.Version); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range reps {
			if err := one.AddReplace(r.Old.Path, r.Old.Version, r.New.Path, r.New.Version); err != nil {
				t.Fatal(err)
			}
		}
		all, err := modfile.Parse("go.mod", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := requireAll(all, reqs); err != nil {
			t.Fatal(err)
		}
		if err := replaceAll(all, reps); err != nil {
			t.Fatal(err)
		}
		one.Cleanup()
		all.Cleanup()
		want, err := one.Format()
		if err != nil {
			t.Fatal(err)
		}
		got, err := all.Format()
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("requireAll and replaceAll made:\n%s\nwant, as AddRequire and AddReplace make:\n%s", got, want)
		}
	}
}

// BenchmarkRequireAll sets 70,000 requirements and replacements, as a
// host of that many modules has scaffold new write: linear, where a call
// of AddRequire per module took minutes.
func BenchmarkRequireAll(b *testing.B) {
	var reqs []module.Version
	var reps []modfile.Replace
	for i := range 70000 {
		p := fmt.Sprintf("example.org/dep%05d/module", i)
		reqs = append(reqs, module.Version{Path: p, Version: "v1.0.0"})
		reps = append(reps, modfile.Replace{Old: module.Version{Path: p}, New: module.Version{Path: p + "/fork", Version: "v1.0.0"}})
	}
	for b.Loop() {
		f, err := modfile.Parse("go.mod", []byte(existing), nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := requireAll(f, reqs); err != nil {
			b.Fatal(err)
		}
		if err := replaceAll(f, reps); err != nil {
			b.Fatal(err)
		}
	}
}
