package upgrade

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/merge"
	"github.com/scaffold-dev/scaffold/templates"
)

// seeds is how many random upgrades TestUpgradeProperty runs.
const seeds = 300

// TestUpgradeProperty upgrades repositories with random author edits
// (lines inserted, changed and deleted, files deleted and added, go.mod
// requirements of their own) across random template changes (test
// templates passed as generator.Options.Templates) and the example
// gateway's releases, without the go commands. After each upgrade:
//
//   - every line the author wrote is in the result, merged or inside a
//     conflict, and the files reported as conflicted are exactly those
//     with conflict markers;
//   - files the author did not touch are what scaffold new writes, files
//     the author deleted stay deleted, a file new in the templates is
//     added, and a clean merge holds every line the templates added;
//   - the lock is exactly the one scaffold new writes for the release;
//   - a repository without edits is exactly what scaffold new writes;
//   - a dry run before it wrote nothing.
func TestUpgradeProperty(t *testing.T) {
	n := seeds
	if testing.Short() {
		n = seeds / 5
	}
	releases := []*manifest.Manifest{release(t, "v0.9.0"), release(t, "v1.0.0")}
	stats := map[string]int{}
	for seed := 0; seed < n; seed++ {
		p := &property{t: t, seed: seed, r: rand.New(rand.NewSource(int64(seed))), dir: t.TempDir(), stats: stats}
		switch p.r.Intn(3) {
		case 0:
			p.from, p.to = releases[0], releases[1]
		case 1:
			p.from, p.to = releases[1], releases[1]
		default:
			p.from, p.to = releases[0], releases[0]
		}
		p.run()
		if t.Failed() {
			t.Fatalf("seed %d failed", seed)
		}
	}
	t.Logf("%d seeds: %v", n, stats)
	for _, want := range []string{"untouched", "conflicted", "merged", "kept deleted", "added", "stub"} {
		if stats[want] == 0 {
			t.Errorf("no seed had a case of %q: the property test does not cover it", want)
		}
	}
}

type property struct {
	t        *testing.T
	seed     int
	r        *rand.Rand
	dir      string
	from, to *manifest.Manifest
	stats    map[string]int
}

func (p *property) fatalf(format string, args ...any) {
	p.t.Helper()
	p.t.Fatalf("seed %d: "+format, append([]any{p.seed}, args...)...)
}

func (p *property) options(m *manifest.Manifest, fsys fs.FS, version string, libc []string) generator.Options {
	return generator.Options{
		Name:            "hello-world",
		Module:          "example.com/hello-world",
		Libc:            libc,
		Manifest:        m,
		Templates:       fsys,
		TemplateVersion: version,
		Offline:         true,
	}
}

func (p *property) run() {
	r := p.r
	libc := [][]string{{manifest.Glibc}, {manifest.Musl}, {manifest.Glibc, manifest.Musl}}[r.Intn(3)]
	oldFS, newFS := p.templates(libc)
	repo := filepath.Join(p.dir, "repo")
	if _, err := generator.Generate(context.Background(), p.options(p.from, oldFS, "old", libc), repo); err != nil {
		p.fatalf("generating: %v", err)
	}
	lk, err := lock.Read(filepath.Join(repo, lock.FileName))
	if err != nil {
		p.fatalf("%v", err)
	}
	base := filetree.Tree(lk.Files)

	// A file the old templates did not write: taken out of the lock and
	// the repository.
	fresh := ""
	if r.Intn(5) == 0 {
		candidates := slices.DeleteFunc(base.Paths(), func(s string) bool { return s == "go.mod" })
		fresh = candidates[r.Intn(len(candidates))]
		delete(lk.Files, fresh)
		data, err := lk.Marshal()
		if err != nil {
			p.fatalf("%v", err)
		}
		p.write(repo, lock.FileName, data)
		if err := os.Remove(filepath.Join(repo, fresh)); err != nil {
			p.fatalf("%v", err)
		}
		base = lk.Files
	}

	edits := p.edit(repo, base, fresh)
	before := readTree(p.t, repo)

	// A dry run writes nothing (checked on every third seed: the file
	// system is the slow part).
	if p.seed%3 == 0 {
		dry, err := Run(context.Background(), Options{Dir: repo, Manifest: p.to, Templates: newFS, TemplateVersion: "new", Offline: true, DryRun: true})
		if err != nil {
			p.fatalf("dry run: %v", err)
		}
		if !sameTree(before, readTree(p.t, repo)) || !slices.Equal(entries(p.t, p.dir), []string{"repo"}) || len(dry.Diff) == 0 {
			p.fatalf("the dry run changed the repository, or showed no diff")
		}
	}

	res, err := Run(context.Background(), Options{Dir: repo, Manifest: p.to, Templates: newFS, TemplateVersion: "new", Offline: true})
	if err != nil {
		p.fatalf("upgrade: %v", err)
	}
	got := readTree(p.t, repo)

	// What scaffold new writes for the release, with the author's own
	// requirements.
	want := filepath.Join(p.dir, "want")
	o := p.options(p.to, newFS, "new", libc)
	if edits.own != "" {
		o.Requires = append(o.Requires, modVersion(edits.own))
	}
	if _, err := generator.Generate(context.Background(), o, want); err != nil {
		p.fatalf("generating the release: %v", err)
	}
	theirs := readTree(p.t, want)

	if !bytes.Equal(got[lock.FileName], theirs[lock.FileName]) {
		p.fatalf("the upgraded lock is not the one scaffold new writes")
	}
	if len(edits.touched) == 0 && len(edits.deleted) == 0 && len(edits.added) == 0 && fresh == "" {
		p.stats["untouched"]++
		if !sameTree(got, theirs) {
			p.fatalf("an untouched repository upgraded to something else than scaffold new writes:\n%v", diffTrees(theirs, got))
		}
		return
	}

	var marked []string
	for _, path := range got.Paths() {
		if merge.HasConflicts(got[path], merge.DefaultLabels) {
			marked = append(marked, path)
		}
	}
	if !slices.Equal(marked, res.Conflicts()) {
		p.fatalf("conflicts reported in %v, markers in %v", res.Conflicts(), marked)
	}
	for _, f := range res.Files {
		p.stats[string(f.Action)]++
	}
	for _, c := range res.Contract {
		if c.Stub != "" {
			p.stats["stub"]++
		}
	}

	for path, lines := range edits.lines {
		if got[path] == nil {
			p.fatalf("%s, which the author edited, is gone", path)
		}
		have := count(got[path])
		for l, n := range lines {
			if have[l] < n {
				p.fatalf("%s: the author's line %q is in the result %d times, want %d:\n%s", path, l, have[l], n, got[path])
			}
		}
	}
	for _, path := range edits.deleted {
		if _, ok := got[path]; ok {
			p.fatalf("%s, which the author deleted, is back", path)
		}
	}
	for path, data := range edits.added {
		if !bytes.Equal(got[path], data) {
			p.fatalf("the author's own file %s changed", path)
		}
	}
	if edits.own != "" && !strings.Contains(string(got["go.mod"]), edits.own) {
		p.fatalf("go.mod lost the author's requirement %s:\n%s", edits.own, got["go.mod"])
	}
	if fresh != "" {
		if !bytes.Equal(got[fresh], theirs[fresh]) {
			p.fatalf("%s, new in the templates, was not added as they write it", fresh)
		}
		p.stats["added"]++
	}
	for _, path := range theirs.Paths() {
		_, touched := edits.touched[path]
		if path == fresh || touched || path == "go.sum" || slices.Contains(edits.deleted, path) {
			continue
		}
		if !bytes.Equal(got[path], theirs[path]) {
			p.fatalf("%s, which the author did not touch, is not what scaffold new writes:\n%s", path, diffTrees(filetree.Tree{path: theirs[path]}, filetree.Tree{path: got[path]}))
		}
	}
	for path := range edits.touched {
		if got[path] == nil || merge.HasConflicts(got[path], merge.DefaultLabels) || path == "go.mod" {
			continue
		}
		have := count(got[path])
		for _, l := range merge.Lines(theirs[path]) {
			if strings.Contains(l, "tmpl-") && !strings.Contains(string(base[path]), l) && have[l] == 0 {
				p.fatalf("%s merged without conflicts, but lost the templates' line %q:\n%s", path, l, got[path])
			}
		}
	}
}

func (p *property) write(dir, path string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, path), data, 0o644); err != nil {
		p.fatalf("%v", err)
	}
}

// templates returns two random edits of the embedded templates, the
// second an edit of the first; both render for the releases.
func (p *property) templates(libc []string) (oldFS, newFS fs.FS) {
	for try := 0; try < 50; try++ {
		oldFS = p.mutate(templates.FS(), "old", p.r.Intn(4))
		newFS = p.mutate(oldFS, "tmpl", p.r.Intn(6))
		withOld := *p.to
		withOld.Contract = p.from.Contract
		ok := p.renders(oldFS, p.from, libc) && p.renders(newFS, p.to, libc) && p.renders(newFS, &withOld, libc)
		if ok {
			return oldFS, newFS
		}
	}
	p.fatalf("no random template edit rendered in 50 tries")
	return nil, nil
}

func (p *property) renders(fsys fs.FS, m *manifest.Manifest, libc []string) bool {
	o := p.options(m, fsys, "x", libc)
	_, err := generator.Render(&o)
	return err == nil
}

// mutate copies fsys with n random line edits to its templates, each
// tagged "<tag>-<seed>-<i>": lines inserted, changed or deleted where no
// template action is, and in Go templates only comment lines changed or
// deleted, so that the output stays Go.
func (p *property) mutate(fsys fs.FS, tag string, n int) fs.FS {
	out := fstest.MapFS{}
	var names []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		out[path] = &fstest.MapFile{Data: data}
		if path != "stubs.go.tmpl" {
			names = append(names, path)
		}
		return nil
	})
	if err != nil {
		p.fatalf("%v", err)
	}
	slices.Sort(names)
	for i := 0; i < n; i++ {
		name := names[p.r.Intn(len(names))]
		label := fmt.Sprintf("%s-%d-%d", tag, p.seed, i)
		lines := editLines(p.r, merge.Lines(out[name].Data), commentFor(strings.TrimSuffix(name, ".tmpl")), label, true)
		out[name] = &fstest.MapFile{Data: []byte(strings.Join(lines, ""))}
	}
	return out
}

// commentFor is how a tagged line is written in a file of that name.
func commentFor(name string) string {
	switch {
	case strings.HasSuffix(name, ".go"):
		return "// "
	case strings.HasSuffix(name, ".md"):
		return ""
	default:
		return "# "
	}
}

// editLines makes one random edit to lines: insert a tagged line, tag an
// existing line, or delete one. In a template, lines with actions are
// left alone, and no line goes where a trim marker would glue it to
// another.
func editLines(r *rand.Rand, lines []string, comment, label string, template bool) []string {
	goFile := comment == "// "
	editable := func(l string) bool {
		if template && (strings.Contains(l, "{{") || strings.Contains(l, "}}")) {
			return false
		}
		return !goFile || strings.HasPrefix(strings.TrimSpace(l), "//")
	}
	// An empty file (a go.sum with nothing to list) can only gain a line.
	op := r.Intn(4)
	if len(lines) == 0 {
		op = 0
	}
	switch op {
	case 0, 1:
		for try := 0; try < 20; try++ {
			i := r.Intn(len(lines) + 1)
			if template && i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "{{-") {
				continue
			}
			if template && i > 0 && strings.HasSuffix(strings.TrimRight(lines[i-1], "\n"), "-}}") {
				continue
			}
			if i == len(lines) && i > 0 && !strings.HasSuffix(lines[i-1], "\n") {
				continue
			}
			return slices.Insert(lines, i, comment+label+"\n")
		}
	case 2:
		for try := 0; try < 20; try++ {
			i := r.Intn(len(lines))
			if editable(lines[i]) && strings.HasSuffix(lines[i], "\n") {
				lines[i] = strings.TrimSuffix(lines[i], "\n") + " " + label + "\n"
				return lines
			}
		}
	default:
		for try := 0; try < 20; try++ {
			i := r.Intn(len(lines))
			if editable(lines[i]) {
				return slices.Delete(lines, i, i+1)
			}
		}
	}
	return lines
}

// authorEdits records what the author did.
type authorEdits struct {
	touched map[string]bool
	// lines are, per file, the lines the author wrote that the file
	// holds, with their counts.
	lines   map[string]map[string]int
	deleted []string
	added   map[string][]byte
	own     string // "path version" of a requirement of the author's own
}

// edit makes random author edits to the generated repository; fresh is
// left alone. A fifth of the seeds make none.
func (p *property) edit(repo string, base filetree.Tree, fresh string) *authorEdits {
	r := p.r
	e := &authorEdits{touched: map[string]bool{}, lines: map[string]map[string]int{}, added: map[string][]byte{}}
	if r.Intn(5) == 0 {
		return e
	}
	label := fmt.Sprintf("author-%d", p.seed)
	for _, path := range base.Paths() {
		if path == fresh || r.Intn(2) == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(repo, path))
		if err != nil {
			p.fatalf("%v", err)
		}
		switch {
		case path == "go.mod":
			f, err := modfile.Parse(path, data, nil)
			if err != nil {
				p.fatalf("%v", err)
			}
			e.own = fmt.Sprintf("example.com/own%d v1.%d.0", p.seed, r.Intn(5))
			mv := modVersion(e.own)
			if err := f.AddRequire(mv.Path, mv.Version); err != nil {
				p.fatalf("%v", err)
			}
			f.AddComment("// " + label + " keeps this module")
			if data, err = f.Format(); err != nil {
				p.fatalf("%v", err)
			}
		case r.Intn(10) == 0:
			if err := os.Remove(filepath.Join(repo, path)); err != nil {
				p.fatalf("%v", err)
			}
			e.deleted = append(e.deleted, path)
			continue
		default:
			lines := merge.Lines(data)
			for i, n := 0, 1+r.Intn(4); i < n; i++ {
				lines = editLines(r, lines, commentFor(path), fmt.Sprintf("%s-%d", label, i), false)
			}
			data = []byte(strings.Join(lines, ""))
		}
		if bytes.Equal(data, base[path]) {
			continue
		}
		p.write(repo, path, data)
		e.touched[path] = true
		for _, l := range merge.Lines(data) {
			if strings.Contains(l, label) {
				if e.lines[path] == nil {
					e.lines[path] = map[string]int{}
				}
				e.lines[path][l]++
			}
		}
	}
	if r.Intn(3) == 0 {
		path := fmt.Sprintf("NOTES-%d.md", p.seed)
		e.added[path] = []byte("the author's notes\n")
		p.write(repo, path, e.added[path])
	}
	return e
}

func modVersion(s string) module.Version {
	path, version, _ := strings.Cut(s, " ")
	return module.Version{Path: path, Version: version}
}

func count(data []byte) map[string]int {
	m := map[string]int{}
	for _, l := range merge.Lines(data) {
		m[l]++
	}
	return m
}

func diffTrees(want, got filetree.Tree) string {
	var b strings.Builder
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for p := range want {
			if !yield(p) {
				return
			}
		}
		for p := range got {
			if _, ok := want[p]; !ok && !yield(p) {
				return
			}
		}
	}) {
		if !bytes.Equal(want[p], got[p]) {
			fmt.Fprintf(&b, "%s:\n--- want\n%s\n--- got\n%s\n", p, want[p], got[p])
		}
	}
	return b.String()
}
