package upgrade

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/target"
)

// TargetOptions say how the host releases a repository is built for
// change: the release of Manifest is added (nil adds none), and those of
// Remove are dropped.
type TargetOptions struct {
	Options
	// Remove are the host versions of the releases to stop building for.
	Remove []string
	// Version is the plugin's version from which the change holds: the
	// Makefile's default VERSION becomes it, and the docs' version matrix
	// says the added release is built from it on and the dropped ones up
	// to it. "" keeps the version the lock records.
	Version string

	// upgrade makes the change [Run] makes of a repository built for
	// several releases (see [TargetOptions.upgradeOf]): the release to
	// drop is found from the lock.
	upgrade bool
}

// Retarget changes the host releases the repository in o.Dir is built
// for (see package target). A repository built for one release, as
// scaffold new makes it, becomes one built for several.
//
// An added release takes the code of the release before it (the newest
// older one, or for a release older than all, the oldest): every file
// built for that one is built for it too, and its module file starts as
// that one's, moved to the new release as scaffold upgrade moves go.mod.
// Where its contract differs from that release's, members it adds get
// stubs in a file built for it alone, and changed ones are reported with
// the place to fix: the author's functions are never rewritten. A dropped
// release's module file goes, and so does each Go file built for it
// alone; the build constraints of the others are rewritten for the
// releases left, and a file built for all of them loses its constraint.
// The other generated files are merged three ways, as scaffold upgrade
// merges them, each release's module file against its own base.
//
// Nothing is written unless the whole change succeeds; the lock is
// written last.
func Retarget(ctx context.Context, o TargetOptions) (*Result, error) {
	r, err := open(o.Dir, o.Manifest, !o.DryRun, o.logf)
	if err != nil {
		return nil, err
	}
	defer r.close()
	t, err := newRetargeter(r, &o)
	if err != nil {
		return nil, err
	}
	if t.res.UpToDate {
		return t.res, unfinishedTargets(t.r, t.res)
	}
	changes, err := t.run(ctx)
	if err != nil {
		return nil, err
	}
	if o.DryRun {
		t.res.Diff = unifiedDiff(t.had, changes)
		return t.res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.logf("writing %d files", len(changes))
	if err := r.root.Apply("target", changes, lock.FileName); err != nil {
		return nil, fmt.Errorf("writing the change (the repository is unchanged): %w", err)
	}
	return t.res, nil
}

// A retargeter computes one change of a repository's releases.
type retargeter struct {
	r   *repo
	o   *TargetOptions
	res *Result

	before, after []lock.Target
	old, new      target.List
	// added is the release added, in after, and from the release of
	// before it takes its code and module file from; nil when none is.
	added, from *lock.Target
	dropped     []lock.Dropped

	gen                generator.Options
	base, ours, theirs filetree.Tree
	src                filetree.Tree
	// had is every file the change may write or remove, as it is; out,
	// the same after the change.
	had, out filetree.Tree
	// lockMods are the module files the lock records: each release's as
	// scaffold new writes it.
	lockMods filetree.Tree
}

// lockTargets are the releases a lock records: its targets, or for a
// repository built for one release, that release.
func lockTargets(lk *lock.Lock) []lock.Target {
	if lk.Multi() {
		return slices.Clone(lk.Targets)
	}
	return []lock.Target{{ManifestDigest: lk.ManifestDigest, ManifestSource: lk.ManifestSource, Settings: lk.AcceptedSettings(), Since: lk.Answers.Version, Manifest: lk.Manifest}}
}

func newRetargeter(r *repo, o *TargetOptions) (*retargeter, error) {
	lk := r.lock
	if o.upgrade {
		if err := o.upgradeOf(lk); err != nil {
			return nil, err
		}
	}
	t := &retargeter{r: r, o: o, before: lockTargets(lk)}
	t.old = target.Of(manifests(t.before))
	version := lk.Answers.Version
	if o.Version != "" {
		if err := generator.CheckVersion(o.Version); err != nil {
			return nil, fmt.Errorf("--plugin-version: %w", err)
		}
		version = o.Version
	}
	t.after = slices.Clone(t.before)
	if m := o.Manifest; m != nil {
		v := m.Host.Version
		add := lock.Target{Manifest: m, ManifestSource: o.ManifestSource, Since: version}
		if i := slices.IndexFunc(t.after, func(x lock.Target) bool { return x.Manifest.Host.Version == v }); i >= 0 {
			// The release is built for already: a manifest of it that
			// changed since takes the place of the one recorded.
			if t.after[i].ManifestDigest != m.Digest() {
				add.Since = t.after[i].Since
				t.from = &t.before[i]
				t.after[i] = add
				t.added = &t.after[i]
			}
		} else {
			t.after = append(t.after, add)
			ms := manifests(t.after)
			if err := target.Sort(ms); err != nil {
				return nil, err
			}
			slices.SortStableFunc(t.after, func(a, b lock.Target) int { return semver.Compare(a.Manifest.Host.Version, b.Manifest.Host.Version) })
			t.added = &t.after[slices.IndexFunc(t.after, func(x lock.Target) bool { return x.Manifest == m })]
			t.from = &t.before[predecessor(t.old, v)]
		}
	}
	for _, v := range o.Remove {
		i := slices.IndexFunc(t.after, func(x lock.Target) bool { return x.Manifest.Host.Version == v })
		if i < 0 || (t.added != nil && t.added.Manifest.Host.Version == v) {
			return nil, fmt.Errorf("%s %s is not a release the repository is built for (it is built for %s)", t.old.Host, v, strings.Join(t.old.Versions, ", "))
		}
		d := t.after[i]
		t.dropped = append(t.dropped, lock.Dropped{Version: v, Go: d.Manifest.Go, Since: d.Since, Until: version})
		t.after = slices.Delete(t.after, i, i+1)
		if t.added != nil {
			t.added = &t.after[slices.IndexFunc(t.after, func(x lock.Target) bool { return x.Manifest == o.Manifest })]
		}
	}
	if len(t.after) == 0 {
		return nil, fmt.Errorf("the repository would be built for no %s release: keep one", t.old.Host)
	}
	if t.added == nil && len(t.dropped) == 0 && lk.Multi() && lk.TemplateVersion == o.templateVersion() && (o.Version == "" || o.Version == lk.Answers.Version) {
		t.res = &Result{Name: lk.Answers.Name, From: lk.Manifest, To: lk.Manifest, FromTemplates: lk.TemplateVersion, ToTemplates: lk.TemplateVersion, UpToDate: true, Before: t.old.Versions, After: t.old.Versions}
		return t, nil
	}
	t.new = target.Of(manifests(t.after))
	t.res = &Result{
		Name:          lk.Answers.Name,
		From:          lk.Manifest,
		To:            t.after[len(t.after)-1].Manifest,
		FromTemplates: lk.TemplateVersion,
		ToTemplates:   o.templateVersion(),
		DryRun:        o.DryRun,
		Before:        t.old.Versions,
		After:         t.new.Versions,
	}
	if t.added != nil {
		t.res.Added = t.added.Manifest.Host.Version
		t.res.AddedFrom = t.from.Manifest.Host.Version
		t.res.From, t.res.To = t.from.Manifest, t.added.Manifest
		changes := manifest.ChangedSettings(t.from.AcceptedSettings(), t.added.Manifest.Settings())
		if len(changes) > 0 && !o.AcceptSettings {
			return nil, &SettingsError{Release: t.added.Manifest, Changes: changes}
		}
		t.res.Settings = changes
	}
	for _, d := range t.dropped {
		t.res.Removed = append(t.res.Removed, d.Version)
	}
	t.gen = o.generation(lk.Answers, t.after[len(t.after)-1].Manifest)
	t.gen.Version, t.gen.Targets, t.gen.Dropped = version, t.after, slices.Concat(lk.Dropped, t.dropped)
	return t, nil
}

// predecessor is the index in l of the release an added release v takes
// its code from: the newest older one, or the oldest.
func predecessor(l target.List, v string) int {
	p := 0
	for i, have := range l.Versions {
		if semver.Compare(have, v) < 0 {
			p = i
		}
	}
	return p
}

func manifests(ts []lock.Target) []*manifest.Manifest {
	var out []*manifest.Manifest
	for _, t := range ts {
		out = append(out, t.Manifest)
	}
	return out
}

// modFiles are the module files and go.sum files of a list's releases.
func modFiles(l target.List) []string {
	var out []string
	for _, v := range l.Versions {
		out = append(out, l.ModFile(v), target.SumFile(l.ModFile(v)))
	}
	return out
}

// isModFile tells whether p is a module file or go.sum of a release.
func isModFile(p string) bool {
	return p == "go.mod" || p == "go.sum" || (strings.HasPrefix(p, target.Dir+"/") && (strings.HasSuffix(p, "/go.mod") || strings.HasSuffix(p, "/go.sum")))
}

func (t *retargeter) run(ctx context.Context) (map[string][]byte, error) {
	lk := t.r.lock
	t.base = lk.Files
	var err error
	if t.ours, err = t.r.tracked(slices.Concat([]string{lock.FileName}, modFiles(t.old))...); err != nil {
		return nil, err
	}
	if err := t.refuseMarked(); err != nil {
		return nil, err
	}
	if err := checkGenerated(lk, &t.o.Options); err != nil {
		return nil, err
	}
	if t.src, err = t.r.sources(); err != nil {
		return nil, err
	}
	recorded, err := lk.Answers.Requirements()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lock.FileName, err)
	}
	// The author's own requirements, as go.mod of the newest release
	// shows them, and the added release's module file moved from the
	// one it takes after.
	newest := t.old.Newest()
	var plan *modPlan
	if t.added != nil {
		from := t.old.ModFile(t.from.Manifest.Host.Version)
		if plan, err = planGoMod(t.base[from], t.ours[from], recorded, t.from.Manifest, t.added.Manifest, "", t.o.Offline); err != nil {
			return nil, fmt.Errorf("%s %s: %w", t.new.Host, t.added.Manifest.Host.Version, err)
		}
		t.res.Notes = append(t.res.Notes, plan.notes...)
	}
	if plan != nil && t.from.Manifest.Host.Version == newest {
		t.gen.Requires = plan.own
	} else {
		m := t.before[len(t.before)-1].Manifest
		own, err := planGoMod(t.base["go.mod"], t.ours["go.mod"], recorded, m, m, "", true)
		if err != nil {
			return nil, err
		}
		t.gen.Requires = own.own
	}
	t.o.logf("rendering %s with templates %s", t.new.Describe(t.new.Versions), t.o.templateVersion())
	if t.theirs, err = generator.Render(&t.gen); err != nil {
		return nil, err
	}
	if err := t.r.addOwn(t.ours, t.theirs.Paths()); err != nil {
		return nil, err
	}
	t.had, t.out = filetree.Tree{}, filetree.Tree{}
	for p, data := range t.ours {
		if !generator.AuthorGo(p) {
			t.had[p] = data
		}
	}
	for p, data := range t.src {
		if generator.AuthorGo(p) {
			t.had[p] = data
		}
	}
	t.merge()
	if err := t.retag(); err != nil {
		return nil, err
	}
	t.moveModFiles()
	if err := t.contract(); err != nil {
		return nil, err
	}
	if t.added != nil {
		if err := t.resolve(ctx, plan.start); err != nil {
			return nil, err
		}
	}
	generated := filetree.Tree{}
	for p, data := range t.theirs {
		if !isModFile(p) {
			generated[p] = data
		}
	}
	for p, data := range t.lockMods {
		generated[p] = data
	}
	lk2, err := t.gen.Lock(generated).Marshal()
	if err != nil {
		return nil, err
	}
	t.out[lock.FileName] = lk2
	sortFiles(t.res.Files)
	return changed(t.had, t.out), nil
}

// refuseMarked refuses to start from generated files that still hold
// conflict markers.
func (t *retargeter) refuseMarked() error {
	if marked := markedFiles(t.base, t.ours); len(marked) > 0 {
		return fmt.Errorf("%s still hold conflict markers from the last change: resolve them first", strings.Join(marked, ", "))
	}
	return nil
}

// merge merges every generated file but the plugin's own Go files and
// the module files three ways, as scaffold upgrade does: the author's
// side, the lock's, and the templates' for the new releases.
func (t *retargeter) merge() {
	keep := func(src filetree.Tree) filetree.Tree {
		out := filetree.Tree{}
		for p, data := range src {
			if !generator.AuthorGo(p) && !isModFile(p) && p != lock.FileName {
				out[p] = data
			}
		}
		return out
	}
	u := &upgrader{r: t.r, o: &t.o.Options, res: t.res, base: keep(t.base), ours: keep(t.ours), theirs: keep(t.theirs)}
	u.out = filetree.Tree{}
	for p, data := range u.ours {
		u.out[p] = data
	}
	u.mergeFiles()
	for p, data := range u.out {
		t.out[p] = data
	}
}

// retag rewrites the build constraint of each of the plugin's own Go files
// for the new releases: a file built for the release an added one takes
// after is built for it too, a dropped release is built for by none, and
// a file left built for no release goes. A constraint naming tags other
// than release tags is the author's to keep right; it is left, and said.
func (t *retargeter) retag() error {
	var added, from string
	if t.added != nil {
		added, from = t.added.Manifest.Host.Version, t.from.Manifest.Host.Version
	}
	for _, p := range t.src.Paths() {
		if !generator.AuthorGo(p) {
			continue
		}
		src := t.src[p]
		set, ok, err := t.old.Release(p, src, t.new)
		if err != nil {
			return err
		}
		if !ok {
			t.out[p] = src
			if h, _ := target.ReadHeader(src); h.Expr != nil {
				t.res.Notes = append(t.res.Notes, fmt.Sprintf("%s: its build constraint names tags besides the releases' own (or // +build lines): check that it still selects the releases it is for", p))
			}
			continue
		}
		if added != "" && slices.Contains(set, from) && !slices.Contains(set, added) {
			set = append(set, added)
		}
		set = slices.DeleteFunc(set, func(v string) bool { return !t.new.Contains(v) })
		if len(set) == 0 {
			t.res.Files = append(t.res.Files, File{p, Removed})
			continue
		}
		slices.SortFunc(set, semver.Compare)
		// A constraint that already selects the set with the tags of the
		// releases left is the author's spelling, and stays; one that
		// names a release gone, or selects them all, is rewritten.
		if h, _ := target.ReadHeader(src); h.Expr != nil {
			if now, ok := t.new.Builds(h.Expr); ok && slices.Equal(now, set) && len(set) < len(t.new.Versions) {
				t.out[p] = src
				continue
			}
		} else if len(set) == len(t.new.Versions) {
			t.out[p] = src
			continue
		}
		var out []byte
		if expr := t.new.Expr(set); expr != "" {
			out, err = target.Retag(src, expr)
		} else {
			out, err = target.Untag(src)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		t.out[p] = out
		t.res.Files = append(t.res.Files, File{p, Retagged})
	}
	return nil
}

// moveModFiles carries each release's module file, go.sum and lock base
// to its place among the new releases, and drops those of the releases
// dropped. The added release's is resolved after.
func (t *retargeter) moveModFiles() {
	t.lockMods = filetree.Tree{}
	for _, tg := range t.after {
		v := tg.Manifest.Host.Version
		if t.added != nil && v == t.added.Manifest.Host.Version {
			continue
		}
		from, to := t.old.ModFile(v), t.new.ModFile(v)
		for _, pair := range [][2]string{{from, to}, {target.SumFile(from), target.SumFile(to)}} {
			if data, ok := t.ours[pair[0]]; ok {
				t.out[pair[1]] = data
			}
		}
		if base, ok := t.base[from]; ok {
			t.lockMods[to] = base
		}
		if from != to {
			t.res.Files = append(t.res.Files, File{to, Moved})
		}
	}
	for _, d := range t.dropped {
		if p := t.old.ModFile(d.Version); !slices.Contains(modFiles(t.new), p) {
			t.res.Files = append(t.res.Files, File{p, Removed})
		}
	}
}

// resolve completes the added release's module file, from start, with
// its toolchain and build tags, for the files scaffold new writes (the
// lock's base) and for the author's.
func (t *retargeter) resolve(ctx context.Context, start []byte) error {
	m := t.added.Manifest
	mod := t.new.ModFile(m.Host.Version)
	sum := target.SumFile(mod)
	if t.o.Offline {
		t.out[mod] = start
		if t.out[sum] == nil {
			// There for the Dockerfiles to copy, as scaffold new
			// writes it.
			t.out[sum] = []byte{}
		}
		t.lockMods[mod] = t.theirs[mod]
		t.res.Notes = append(t.res.Notes, fmt.Sprintf("skipped the module download (--offline): run 'make tidy RELEASE=%s' to complete %s", m.Host.Version, sum))
		return nil
	}
	generated := filetree.Tree{}
	for p, data := range t.theirs {
		if strings.HasSuffix(p, ".go") || isModFile(p) {
			generated[p] = data
		}
	}
	t.o.logf("resolving the modules of %s %s for the files scaffold new writes", t.new.Host, m.Host.Version)
	lockMod, _, err := t.resolveIn(ctx, generated, m)
	if err != nil {
		return err
	}
	t.lockMods[mod] = lockMod
	upgraded := filetree.Tree{}
	for p, data := range t.src {
		if !generator.AuthorGo(p) {
			upgraded[p] = data
		}
	}
	for p, data := range t.out {
		if strings.HasSuffix(p, ".go") || isModFile(p) {
			upgraded[p] = data
		}
	}
	upgraded[mod] = start
	t.o.logf("resolving the modules of %s %s for the plugin", t.new.Host, m.Host.Version)
	got, gotSum, err := t.resolveIn(ctx, upgraded, m)
	if err != nil {
		return err
	}
	t.out[mod] = got
	if gotSum != nil {
		t.out[sum] = gotSum
	}
	before := t.ours[t.old.ModFile(t.from.Manifest.Host.Version)]
	t.res.Modules = moves(before, got)
	t.res.Files = append(t.res.Files, File{mod, Added})
	return nil
}

// resolveIn resolves release m's modules in a temporary copy of tree, and
// returns its module file and go.sum.
func (t *retargeter) resolveIn(ctx context.Context, tree filetree.Tree, m *manifest.Manifest) (mod, sum []byte, err error) {
	return t.r.resolveIn(ctx, tree, t.gen, t.new.ModFile(m.Host.Version), func(ctx context.Context, dir string, gen *generator.Options) error {
		return generator.ResolveRelease(ctx, dir, gen, m)
	})
}

// contract compares the added release's contract with the one of the
// release it takes after, in the code built for it: a member it adds that
// the code lacks gets a stub in a file built for it alone; one it changes
// or the code declares otherwise is reported with the place to fix. A
// member it drops stays: the other releases call it.
func (t *retargeter) contract() error {
	if t.added == nil {
		return nil
	}
	old, new := &t.from.Manifest.Contract, &t.added.Manifest.Contract
	a := t.r.lock.Answers
	changes := slices.DeleteFunc(memberChanges(old, new, a, a), func(c Change) bool { return c.Kind == MemberRemoved })
	if len(changes) == 0 {
		return nil
	}
	v := t.added.Manifest.Host.Version
	// The code as the release builds it after the change.
	built, err := builtFor(t.out, t.new, v, t.old)
	if err != nil {
		return err
	}
	c := parseCode(built)
	typ := c.implementing(generator.TypeName(a.Name, old), generator.TypeName(a.Name, new))
	var stubbed []Change
	for i := range changes {
		if c.settle(&changes[i], typ, new) {
			stubbed = append(stubbed, changes[i])
		}
		ch := &changes[i]
		if ch.Fix != "" && ch.At != "" {
			if file, _, _ := strings.Cut(ch.At, ":"); file != "" {
				t.shared(ch, file)
			}
		}
	}
	if len(stubbed) > 0 {
		u := &upgrader{r: t.r, o: &Options{Manifest: t.added.Manifest, Templates: t.o.Templates}, res: t.res, gen: t.gen, out: t.out, src: t.src}
		file, err := u.writeStubs(typ, stubbed)
		if err != nil {
			return err
		}
		if expr := t.new.Expr([]string{v}); expr != "" {
			if t.out[file], err = target.Retag(t.out[file], expr); err != nil {
				return err
			}
		}
		for i := range changes {
			if changes[i].Fix == "" && changes[i].Kind == MemberAdded && changes[i].At == "" {
				changes[i].Stub = file
			}
		}
	}
	for i := range changes {
		changes[i].Release = v
	}
	t.res.Contract = changes
	return nil
}

// shared rewrites the fix of a change whose declaration is in a file
// built for other releases too: their contract keeps the old signature.
func (t *retargeter) shared(ch *Change, file string) {
	v := t.added.Manifest.Host.Version
	set, ok, _ := t.new.Release(file, t.out[file], t.old)
	if !ok {
		return
	}
	others := slices.DeleteFunc(slices.Clone(set), func(s string) bool { return s == v })
	if len(others) == 0 {
		return
	}
	ch.Fix = fmt.Sprintf("%s is built for %s too, which keep %s: keep %s for them alone (//go:build %s) and write %s's %s %s in a file built for it alone (//go:build %s)",
		ch.At, t.new.Describe(others), orUnknown(ch.Have), file, orAll(t.new.Expr(others)), v, ch.Name, ch.New, t.new.Expr([]string{v}))
}

func orAll(expr string) string {
	if expr == "" {
		return "none: every release"
	}
	return expr
}

// builtFor is the plugin's own Go code of src as release v of l builds
// it: the files whose build constraint selects v (and those whose
// constraint names other tags, which may). other are lists whose release
// tags a constraint may name too (see [target.List.Release]).
func builtFor(src filetree.Tree, l target.List, v string, other ...target.List) (filetree.Tree, error) {
	out := filetree.Tree{}
	for p, data := range src {
		if !generator.AuthorGo(p) {
			continue
		}
		set, ok, err := l.Release(p, data, other...)
		if err != nil {
			return nil, err
		}
		if !ok || slices.Contains(set, v) {
			out[p] = data
		}
	}
	return out, nil
}

// unfinishedTargets records in res what is left to do in a repository
// built for several releases that matches them: conflict markers in the
// generated files, and in the code each release builds, the members of
// its contract missing or of another signature.
func unfinishedTargets(r *repo, res *Result) error {
	lk := r.lock
	src, err := r.conflicted(res)
	if err != nil {
		return err
	}
	l := target.Of(lk.Releases())
	for _, m := range lk.Releases() {
		v := m.Host.Version
		built, err := builtFor(src, l, v)
		if err != nil {
			return err
		}
		a := lk.Answers
		a.Hooks = slices.DeleteFunc(slices.Clone(a.Hooks), func(h string) bool { return !slices.Contains(m.Contract.Optional(), h) })
		k := &m.Contract
		for _, c := range verify(k, a, parseCode(built), []string{generator.TypeName(a.Name, k)}) {
			c.Release = v
			res.Contract = append(res.Contract, c)
		}
	}
	return nil
}

// isMulti tells whether the repository in dir is built for several host
// releases, as its lock says; false when the lock cannot be read, which
// the upgrade itself then reports.
func isMulti(dir string) bool {
	root, err := filetree.OpenRoot(dir)
	if err != nil {
		return false
	}
	defer root.Close()
	data, err := root.ReadFile(lock.FileName)
	if err != nil || data == nil {
		return false
	}
	lk, err := lock.Parse(data)
	return err == nil && lk.Multi()
}

// errSetMulti refuses an upgrade without a release (scaffold upgrade
// --set) of a repository built for several releases: the answers are
// changed for a repository built for one.
func errSetMulti(dir string) error {
	return fmt.Errorf("%s is built for several host releases: scaffold upgrade moves it with --manifest (adding the new release, dropping the oldest); --set changes the answers of a repository built for one release only", dir)
}

// upgradeOf makes o the change [Run] makes of the repository lk records,
// built for several releases: a release o.Manifest newer than all it is
// built for is added, and the oldest dropped; one it is built for already
// is refreshed (its manifest, when that changed, and the templates).
func (o *TargetOptions) upgradeOf(lk *lock.Lock) error {
	v := o.Manifest.Host.Version
	newest := lk.Manifest.Host.Version
	switch {
	case lk.Target(v) != nil:
	case semver.IsValid(v) && semver.Compare(v, newest) > 0:
		o.Remove = []string{lk.Targets[0].Manifest.Host.Version}
	default:
		return fmt.Errorf("%s %s is not newer than %s, the newest release the repository is built for: scaffold upgrade adds a newer release and drops the oldest; scaffold target add builds for an older one too", o.Manifest.Host.Name, v, newest)
	}
	return nil
}

// statusTargets is [Status] for a repository built for several
// releases: it is behind a release it is not built for, or whose manifest
// changed, and behind newer templates.
func statusTargets(o Options) (*Result, error) {
	r, err := open(o.Dir, o.Manifest, false, o.logf)
	if err != nil {
		return nil, err
	}
	defer r.close()
	lk := r.lock
	versions := target.Of(lk.Releases()).Versions
	res := &Result{Name: lk.Answers.Name, From: lk.Manifest, To: lk.Manifest, FromTemplates: lk.TemplateVersion, ToTemplates: o.templateVersion(), Before: versions, After: versions}
	m := o.Manifest
	var why []string
	switch t := lk.Target(m.Host.Version); {
	case t == nil:
		why = append(why, fmt.Sprintf("%s %s is not among the releases the repository is built for (%s)", m.Host.Name, m.Host.Version, strings.Join(versions, ", ")))
	case t.ManifestDigest != m.Digest():
		why = append(why, fmt.Sprintf("the %s %s manifest differs from the one %s records", m.Host.Name, m.Host.Version, lock.FileName))
	}
	if lk.TemplateVersion != o.templateVersion() {
		why = append(why, fmt.Sprintf("templates %s → %s", lk.TemplateVersion, o.templateVersion()))
	}
	if res.Behind = strings.Join(why, ", "); res.Behind != "" {
		return res, nil
	}
	res.UpToDate = true
	return res, unfinishedTargets(r, res)
}
