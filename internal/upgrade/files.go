package upgrade

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/gitignore"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/merge"
	"github.com/scaffold-dev/scaffold/internal/nearest"
)

// An upgrader holds the three sides of one upgrade and builds its result.
type upgrader struct {
	r   *repo
	o   *Options
	res *Result
	gen generator.Options

	base filetree.Tree // the files as last generated, from the lock
	ours filetree.Tree // the files the author has, of those an upgrade may write
	src  filetree.Tree // the module's Go sources, go.mod and go.sum files
	// theirs is what scaffold new writes for the new release; hooks is
	// the same with the old contract, the side the author's hook code is
	// merged with, so that contract changes never enter it as text.
	theirs, hooks filetree.Tree

	out filetree.Tree // the repository's files after the upgrade, of those in ours or written
}

func newUpgrader(r *repo, o *Options, res *Result) (*upgrader, error) {
	a := r.answers
	m := o.Manifest
	if err := checkSet(r, o); err != nil {
		return nil, err
	}
	var libc []string
	for _, l := range a.Libc {
		if m.Libc.Images(l) != nil {
			libc = append(libc, l)
		} else {
			res.Notes = append(res.Notes, fmt.Sprintf("%s %s no longer ships for %s: the plugin is no longer built for it", m.Host.Name, m.Host.Version, l))
		}
	}
	if len(libc) == 0 {
		return nil, fmt.Errorf("%s %s ships for %s only, and the plugin is built for %s: generate a new plugin for the release instead", m.Host.Name, m.Host.Version, strings.Join(m.Libc.Families(), ", "), strings.Join(a.Libc, ", "))
	}
	// Optional symbols the new contract no longer has are reported as
	// removed members; the rest stay chosen.
	var optional []string
	for _, h := range a.Hooks {
		if slices.Contains(m.Contract.Optional(), h) {
			optional = append(optional, h)
		}
	}
	u := &upgrader{r: r, o: o, res: res, base: r.lock.Files}
	u.gen = o.generation(a, m)
	u.gen.Libc, u.gen.Optional, u.gen.ManifestSource = libc, optional, o.ManifestSource
	return u, nil
}

// generation is the generation of the plugin the answers a describe for
// release m, as this upgrade makes it: every answer carried over, so that
// no path of the upgrade can leave one out.
func (o *Options) generation(a lock.Answers, m *manifest.Manifest) generator.Options {
	return generator.Options{
		Name:            a.Name,
		Module:          a.Module,
		Version:         a.Version,
		Libc:            a.Libc,
		Optional:        a.Hooks,
		Handlers:        a.Handlers,
		License:         a.License,
		Manifest:        m,
		Templates:       o.Templates,
		TemplateVersion: o.templateVersion(),
		Env:             o.Env,
		Offline:         o.Offline,
		Progress:        o.Progress,
		Log:             onceLog(o.Log),
	}
}

// onceLog is the log of the generations of one upgrade, which tells each
// line of w once, or nil for none. The generation's steps, pins among
// them, are the same for the files scaffold new writes and for the
// upgraded plugin, whose modules are resolved one after the other.
func onceLog(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	return &onceLines{w: w, seen: map[string]bool{}}
}

// onceLines writes each line written to it once, and drops it after.
type onceLines struct {
	w       io.Writer
	seen    map[string]bool
	partial []byte
}

func (o *onceLines) Write(p []byte) (int, error) {
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(o.partial[:i+1])
		o.partial = o.partial[i+1:]
		if o.seen[line] {
			continue
		}
		o.seen[line] = true
		if _, err := io.WriteString(o.w, line); err != nil {
			return len(p), err
		}
	}
}

// run computes the upgrade and returns the files to write, nil for one to
// remove.
func (u *upgrader) run(ctx context.Context) (map[string][]byte, error) {
	if err := checkGenerated(u.r.lock, u.o); err != nil {
		return nil, err
	}
	if err := u.load(); err != nil {
		return nil, err
	}
	recorded, err := u.r.lock.Answers.Requirements()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lock.FileName, err)
	}
	moved := ""
	if u.gen.Module != u.r.lock.Answers.Module {
		moved = u.gen.Module
	}
	mod, err := planGoMod(u.base["go.mod"], u.ours["go.mod"], recorded, u.r.lock.Manifest, u.o.Manifest, moved, u.o.Offline)
	if err != nil {
		return nil, err
	}
	u.res.Notes = append(u.res.Notes, mod.notes...)
	u.gen.Requires = mod.own
	if err := u.render(); err != nil {
		return nil, err
	}
	if err := u.r.addOwn(u.ours, u.theirs.Paths()); err != nil {
		return nil, err
	}
	u.out = filetree.Tree{}
	for p, data := range u.ours {
		u.out[p] = data
	}
	u.mergeFiles()
	if err := u.moveModule(); err != nil {
		return nil, err
	}
	if err := u.contract(); err != nil {
		return nil, err
	}
	start := mod.start
	if bytes.Equal(u.ours["go.mod"], u.base["go.mod"]) && !u.o.Offline {
		// Nothing of the author's to keep: what scaffold new writes,
		// which the go command completes.
		start = u.theirs["go.mod"]
	}
	lockMod, err := u.resolve(ctx, start)
	if err != nil {
		return nil, err
	}
	u.modules()
	generated := filetree.Tree{}
	for p, data := range u.theirs {
		generated[p] = data
	}
	generated["go.mod"] = lockMod
	lk, err := u.gen.Lock(generated).Marshal()
	if err != nil {
		return nil, err
	}
	u.out[lock.FileName] = lk
	sortFiles(u.res.Files)
	return changed(u.ours, u.out), nil
}

// load reads the author's side, and refuses to start from files that
// still hold the last upgrade's conflict markers.
func (u *upgrader) load() error {
	var err error
	if u.ours, err = u.r.tracked(lock.FileName); err != nil {
		return err
	}
	if marked := markedFiles(u.base, u.ours); len(marked) > 0 {
		verb := "holds"
		if len(marked) > 1 {
			verb = "hold"
		}
		return fmt.Errorf("%s still %s conflict markers from the last upgrade: resolve them first", strings.Join(marked, ", "), verb)
	}
	u.src, err = u.r.sources()
	return err
}

// addOwn adds to ours the files of paths the author has that it lacks: a
// file new in the templates may already be the author's, and is merged
// with, never written over.
func (r *repo) addOwn(ours filetree.Tree, paths []string) error {
	mine, err := r.tracked(paths...)
	if err != nil {
		return err
	}
	for p, data := range mine {
		if _, ok := ours[p]; !ok {
			ours[p] = data
		}
	}
	return nil
}

// markedFiles lists the generated files of base that ours still has with
// conflict markers in them.
func markedFiles(base, ours filetree.Tree) []string {
	var marked []string
	for _, p := range base.Paths() {
		if ours[p] != nil && merge.HasConflicts(ours[p], merge.DefaultLabels) {
			marked = append(marked, p)
		}
	}
	return marked
}

// render renders the new side twice: as scaffold new writes it, and with
// the old contract for the author's hook code.
func (u *upgrader) render() error {
	o := u.o
	o.logf("rendering %s %s with templates %s", o.Manifest.Host.Name, o.Manifest.Host.Version, o.templateVersion())
	var err error
	if u.theirs, err = generator.Render(&u.gen); err != nil {
		return err
	}
	withOldContract := u.gen
	m := *o.Manifest
	m.Contract = u.r.lock.Manifest.Contract
	withOldContract.Manifest = &m
	// The author's choices under the old contract, however the new one
	// changed them.
	withOldContract.Optional = u.r.lock.Answers.Hooks
	if m.Contract.Kind == manifest.KindImplementer && o.Manifest.Contract.Kind == manifest.KindImplementer {
		// The plugin's copy of the host's interface is the new
		// release's, so that the compile-time proof holds the author's
		// methods, with the stubs, to what the new host asserts.
		withOldContract.Proof = o.Manifest.Contract.Methods
	}
	if u.hooks, err = generator.Render(&withOldContract); err != nil {
		return fmt.Errorf("rendering with the old contract: %w", err)
	}
	return nil
}

// modules records how go.mod and go.sum changed.
func (u *upgrader) modules() {
	ours, out := u.ours["go.mod"], u.out["go.mod"]
	u.res.Modules = moves(ours, out)
	switch {
	case bytes.Equal(ours, out):
	case bytes.Equal(ours, u.base["go.mod"]):
		u.res.Files = append(u.res.Files, File{"go.mod", Replaced})
	default:
		u.res.Files = append(u.res.Files, File{"go.mod", Merged})
	}
	if u.out["go.sum"] != nil && !bytes.Equal(u.ours["go.sum"], u.out["go.sum"]) {
		u.res.Files = append(u.res.Files, File{"go.sum", Replaced})
	}
}

// changed are the files to write to make had out: those of out that had
// lacks or holds otherwise, and nil for those of had that out lacks, to
// remove.
func changed(had, out filetree.Tree) map[string][]byte {
	changes := map[string][]byte{}
	for p, data := range out {
		if have, ok := had[p]; !ok || !bytes.Equal(have, data) {
			changes[p] = data
		}
	}
	for p := range had {
		if _, ok := out[p]; !ok {
			changes[p] = nil
		}
	}
	return changes
}

// theirsFor is the new side of the merge for path p: for the hook code,
// the new templates with the old contract.
func (u *upgrader) theirsFor(p string) []byte {
	if strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
		if data, ok := u.hooks[p]; ok {
			return data
		}
	}
	return u.theirs[p]
}

// mergeFiles decides every generated file but go.mod and go.sum.
func (u *upgrader) mergeFiles() {
	paths := slices.Concat(filetree.Tree(u.base).Paths(), u.theirs.Paths())
	slices.Sort(paths)
	paths = slices.Compact(paths)
	for _, p := range paths {
		if p == "go.mod" || p == "go.sum" || p == lock.FileName {
			continue
		}
		b, inBase := u.base[p]
		o, inOurs := u.ours[p]
		t, inTheirs := u.theirs[p]
		switch {
		case inBase && !inOurs:
			if inTheirs {
				u.res.Files = append(u.res.Files, File{p, KeptDeleted})
			}
		case !inBase && !inOurs:
			u.write(p, t, Added)
		case !inBase:
			if !bytes.Equal(o, t) {
				// Both made a file of the name: keep both, marked.
				u.merged(p, nil, o, t)
			}
		case !inTheirs:
			if bytes.Equal(o, b) {
				u.remove(p, Removed)
			} else {
				u.res.Files = append(u.res.Files, File{p, KeptDropped})
			}
		case bytes.Equal(o, b):
			if !bytes.Equal(t, b) {
				u.write(p, t, Replaced)
			}
		default:
			side := u.theirsFor(p)
			switch {
			case bytes.Equal(side, b):
				u.res.Files = append(u.res.Files, File{p, Kept})
			case bytes.Equal(side, o):
			default:
				u.merged(p, b, o, side)
			}
		}
	}
}

func (u *upgrader) merged(p string, base, ours, theirs []byte) {
	m := merge.Merge(base, ours, theirs, merge.DefaultLabels)
	a := Merged
	if m.Conflicts > 0 {
		a = Conflicted
	}
	u.write(p, m.Data, a)
}

// write records the new content of p.
func (u *upgrader) write(p string, data []byte, a Action) {
	if data == nil {
		data = []byte{}
	}
	u.out[p] = data
	u.res.Files = append(u.res.Files, File{p, a})
}

// remove records that p goes.
func (u *upgrader) remove(p string, a Action) {
	delete(u.out, p)
	u.res.Files = append(u.res.Files, File{p, a})
}

func sortFiles(files []File) {
	slices.SortStableFunc(files, func(a, b File) int {
		if c := slices.Index(actionOrder, a.Action) - slices.Index(actionOrder, b.Action); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
}

// sources reads the module's Go sources, go.mod and go.sum files, which
// resolving modules and finding the author's hooks need, and nothing
// else: every entry is chosen by its name before anything of it is read.
// Left out are the directories the go command ignores and nested
// modules, the build's output directory dist, and whatever the
// repository's .gitignore files leave out: build outputs, which may be
// larger than any file the upgrade reads.
func (r *repo) sources() (filetree.Tree, error) {
	var ignore gitignore.Rules
	if err := r.readIgnore(&ignore, "."); err != nil {
		return nil, err
	}
	return r.root.Read(func(p string, d fs.DirEntry) (bool, error) {
		name := d.Name()
		if !d.IsDir() {
			goSource := strings.HasSuffix(name, ".go") || p == "go.mod" || p == "go.sum"
			return !goSource || ignore.Ignored(p, false), nil
		}
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor" || p == "dist" || ignore.Ignored(p, true) {
			return true, nil
		}
		if _, err := r.root.Lstat(p + "/go.mod"); err == nil {
			return true, nil // a module of its own
		}
		return false, r.readIgnore(&ignore, p)
	})
}

// maxIgnore bounds a .gitignore file sources reads: each of its lines is
// a pattern every path is matched against. Real ones hold some hundreds
// of lines at most.
const maxIgnore = 1 << 20

// readIgnore adds the patterns of dir's .gitignore, if it has one, to
// ignore.
func (r *repo) readIgnore(ignore *gitignore.Rules, dir string) error {
	p := path.Join(dir, ".gitignore")
	data, err := r.root.ReadFile(p)
	if err != nil {
		return err
	}
	if len(data) > maxIgnore {
		return fmt.Errorf("%s is %d bytes, more than the %d a .gitignore scaffold reads may be", p, len(data), maxIgnore)
	}
	ignore.Add(dir, data)
	return nil
}

// upgradedSources are the module's Go sources as they will be after the
// upgrade: the author's, with the files the upgrade writes or removes.
func (u *upgrader) upgradedSources() filetree.Tree {
	t := filetree.Tree{}
	for p, data := range u.src {
		t[p] = data
	}
	for p := range u.ours {
		if strings.HasSuffix(p, ".go") {
			delete(t, p)
		}
	}
	for p, data := range u.out {
		if strings.HasSuffix(p, ".go") {
			t[p] = data
		}
	}
	return t
}

// goSources is what the go command resolves modules for: the upgraded
// sources and go.mod as given.
func (u *upgrader) goSources(gomod []byte) filetree.Tree {
	t := u.upgradedSources()
	// A Go file left with conflict markers does not parse: resolve for
	// both sides of it instead, each a file of its own.
	for _, p := range u.res.Conflicts() {
		if !strings.HasSuffix(p, ".go") {
			continue
		}
		delete(t, p)
		if u.ours[p] != nil {
			t[p] = u.ours[p]
		}
		stem, suffix := strings.TrimSuffix(p, ".go"), ".go"
		if strings.HasSuffix(p, "_test.go") {
			stem, suffix = strings.TrimSuffix(p, "_test.go"), "_test.go"
		}
		t[stem+"_scaffold_new"+suffix] = u.theirsFor(p)
	}
	t["go.mod"] = gomod
	if u.ours["go.sum"] != nil {
		t["go.sum"] = u.ours["go.sum"]
	}
	return t
}

// goFiles is the part of a tree the go command reads when it resolves
// modules.
func goFiles(t filetree.Tree) filetree.Tree {
	out := filetree.Tree{}
	for p, data := range t {
		if strings.HasSuffix(p, ".go") || p == "go.mod" {
			out[p] = data
		}
	}
	return out
}

func sameTree(a, b filetree.Tree) bool {
	if len(a) != len(b) {
		return false
	}
	for p, data := range a {
		if other, ok := b[p]; !ok || !bytes.Equal(data, other) {
			return false
		}
	}
	return true
}

// checkGenerated refuses a lock that lists a file its generation did not
// write. An upgrade, or a change of releases, removes a listed file the
// templates no longer write when the author left it as listed: a lock
// edited to list LICENSE with its content, its digest recomputed, would
// have it removed. With the templates the lock was written by, the old
// generation is rendered again and every listed file must be one of it
// (go.mod and go.sum besides, which the go commands finish).
func checkGenerated(lk *lock.Lock, o *Options) error {
	if lk.TemplateVersion != o.templateVersion() {
		return nil
	}
	old := o.generation(lk.Answers, lk.Manifest)
	old.Targets, old.Dropped = lk.Targets, lk.Dropped
	tree, err := generator.Render(&old)
	if err != nil {
		return fmt.Errorf("%s: rendering the generation it records: %w", lock.FileName, err)
	}
	for _, p := range filetree.Tree(lk.Files).Paths() {
		if _, ok := tree[p]; !ok && p != "go.mod" && p != "go.sum" {
			return fmt.Errorf("%s lists %s, which the generation it records does not write: the lock was edited; restore it from version control", lock.FileName, p)
		}
	}
	return nil
}

// checkSet refuses answers of --set the release o.Manifest does not offer,
// or the templates, named as --set names them.
func checkSet(r *repo, o *Options) error {
	a, was, m := r.answers, r.lock.Answers, o.Manifest
	if !slices.Equal(a.Libc, was.Libc) {
		for _, l := range a.Libc {
			if m.Libc.Images(l) == nil {
				hint := ""
				if n := nearest.Name(l, m.Libc.Families()); n != "" {
					hint = " (did you mean " + n + "?)"
				}
				return fmt.Errorf("--set libc: %q: %s %s ships for %s only%s", l, m.Host.Name, m.Host.Version, strings.Join(m.Libc.Families(), ", "), hint)
			}
		}
		if len(a.Libc) == 0 {
			return fmt.Errorf("--set libc: none chosen (%s %s ships for %s)", m.Host.Name, m.Host.Version, strings.Join(m.Libc.Families(), ", "))
		}
	}
	if !slices.Equal(a.Hooks, was.Hooks) {
		for _, h := range a.Hooks {
			if !slices.Contains(m.Contract.Optional(), h) {
				hint := ""
				if n := nearest.Name(h, m.Contract.Optional()); n != "" {
					hint = " (did you mean " + n + "?)"
				}
				return fmt.Errorf("--set hooks: %q is not an optional symbol of %s %s's contract (it has %s)%s", h, m.Host.Name, m.Host.Version, orNone(strings.Join(m.Contract.Optional(), ", ")), hint)
			}
		}
	}
	if a.Module != was.Module {
		if err := generator.CheckModuleOwn(a.Module, m); err != nil {
			return fmt.Errorf("--set module: %w", err)
		}
	}
	if a.License != was.License && a.License != "" {
		if _, err := generator.CheckLicense(a.License, o.templates()); err != nil {
			return fmt.Errorf("--set license: %w", err)
		}
	}
	return nil
}

// moveModule moves the imports of the module's own packages to its new
// path, in every Go file of the module, when --set changed it: the
// author's code keeps building, as gonew moves a module.
func (u *upgrader) moveModule() error {
	from, to := u.r.lock.Answers.Module, u.gen.Module
	if from == to {
		return nil
	}
	for _, p := range u.upgradedSources().Paths() {
		if !strings.HasSuffix(p, ".go") || slices.Contains(u.res.Conflicts(), p) {
			continue
		}
		src := u.out[p]
		if src == nil {
			src = u.src[p]
		}
		moved, err := moveImports(p, src, from, to)
		if err != nil {
			return fmt.Errorf("moving the imports of %s to %s: %w", from, to, err)
		}
		if moved == nil {
			continue
		}
		if _, ok := u.ours[p]; !ok {
			u.ours[p] = u.src[p]
		}
		if _, ok := u.out[p]; !ok {
			u.res.Files = append(u.res.Files, File{p, Merged})
		}
		u.out[p] = moved
	}
	return nil
}
