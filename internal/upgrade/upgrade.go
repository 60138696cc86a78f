// Package upgrade moves a plugin repository that scaffold generated to a
// new release of its host without losing a line of the author's work.
//
// The lock file holds every file exactly as it was generated, with the
// answers and the manifest it was generated from: that is the base of a
// three-way merge, so no older scaffold is needed. The other two sides are
// the files as the author has them now, and the same answers rendered for
// the new manifest by the current templates. A file only one side changed
// takes that side; a file both changed is merged line by line, with
// conflict markers where their changes collide. go.mod is merged as data:
// the Go release, the SDK and every module the plugin shares with the host
// move to the new release, the author's own requirements stay. A change of
// the host's plugin contract is never merged into the author's functions:
// new methods get stubs in a file of their own, and removed or changed
// ones are reported with the place the author must fix.
//
// Nothing is written until everything is computed and checked; then the
// files are committed together through [filetree.Root]'s journal, the
// lock file last, so that a run killed at any point is rolled back by the
// next. Every file is read and written through that root: nothing outside
// the repository or under .git is reached.
package upgrade

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/merge"
	"github.com/scaffold-dev/scaffold/internal/progress"
	"github.com/scaffold-dev/scaffold/templates"
)

// Options say which repository moves to which release.
type Options struct {
	// Dir is the plugin repository.
	Dir string
	// Manifest is the host release to move to; nil keeps the one the
	// lock records, as when only answers change (Set).
	Manifest *manifest.Manifest
	// ManifestSource is where it was fetched from, with its digest, for
	// the lock; empty for a file.
	ManifestSource string

	// Templates replaces the embedded templates when not nil.
	Templates fs.FS
	// TemplateVersion is the version of Templates; empty means the
	// embedded set's.
	TemplateVersion string
	// Env is the environment of the go commands; nil means os.Environ().
	Env []string
	// Offline skips the go commands: go.mod is moved as data, and go.sum
	// is left for make tidy to complete.
	Offline bool
	// DryRun computes the upgrade and writes nothing; the Result's Diff
	// holds every change.
	DryRun bool
	// Set changes answers the repository was generated with, each as
	// name=value (see [Settable]), through the same three-way merge. A
	// changed module path moves the imports of the module's own
	// packages in every Go file with it.
	Set []string
	// AcceptSettings lets the upgrade take a release that changes the
	// settings of [manifest.Manifest.Settings]: without it, such an
	// upgrade stops before any go command runs, with a [SettingsError].
	AcceptSettings bool
	// Log receives a line for each step; nil discards them.
	Log io.Writer
	// Progress shows how long resolving modules has taken so far; nil
	// shows nothing.
	Progress *progress.Meter
}

func (o *Options) templateVersion() string {
	if o.TemplateVersion != "" {
		return o.TemplateVersion
	}
	return templates.Version
}

func (o *Options) templates() fs.FS {
	if o.Templates != nil {
		return o.Templates
	}
	return templates.FS()
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// An Action is what an upgrade did to one file.
type Action string

// The actions, in the order a summary lists them.
const (
	// Replaced: the author had not changed the file; it is now the new
	// release's.
	Replaced Action = "replaced"
	// Merged: the author and the templates both changed the file, on
	// different lines.
	Merged Action = "merged"
	// Conflicted: both changed the same lines; both versions are in the
	// file between conflict markers.
	Conflicted Action = "conflicted"
	// Added: the file is new in the templates, or holds stubs for methods
	// new in the contract.
	Added Action = "added"
	// KeptDeleted: the author deleted the file, and it stays deleted.
	KeptDeleted Action = "kept deleted"
	// Removed: the templates no longer write the file, which the author
	// had not changed.
	Removed Action = "removed"
	// Kept: only the author changed the file; it is left alone.
	Kept Action = "kept"
	// KeptDropped: the templates no longer write the file, but the
	// author changed it, so it stays.
	KeptDropped Action = "kept, no longer generated"
	// Retagged: the file's build constraint was rewritten for the host
	// releases the repository is built for now.
	Retagged Action = "retagged"
	// Moved: a release's module file went to another place, as the
	// newest release's is go.mod.
	Moved Action = "moved"
)

var actionOrder = []Action{Replaced, Merged, Conflicted, Added, KeptDeleted, Removed, Kept, KeptDropped, Retagged, Moved}

// A File is one file an upgrade touched or looked at.
type File struct {
	Path   string
	Action Action
}

// A Move is a requirement of go.mod whose version changed.
type Move struct {
	Path string
	// Old and New are the versions before and after; "" where there was
	// or is no requirement.
	Old, New string
}

// A Result is what an upgrade did, or would do.
type Result struct {
	// Name is the plugin's name.
	Name string
	// From is the release the repository was generated for; To, the one
	// it moves to.
	From, To *manifest.Manifest
	// FromTemplates and ToTemplates are the template versions.
	FromTemplates, ToTemplates string
	// UpToDate is set when the repository already matches the release
	// and the templates: nothing was changed, and Files and Contract say
	// what is left unfinished from the last upgrade.
	UpToDate bool
	// Behind says, in one line, why the repository does not match; it is
	// set by Status only.
	Behind  string
	Modules []Move
	Files   []File
	// Contract lists the contract's changes and what became of each.
	Contract []Change
	// Answers say which answers --set changed, a line each.
	Answers []string
	// Settings are the changes to the settings that decide where modules
	// come from, which are verified and how code compiles, which the
	// author accepted.
	Settings []manifest.SettingChange
	// Notes are things the author should know.
	Notes []string
	// DryRun is set when nothing was written; Diff then holds the
	// unified diff of every change.
	DryRun bool
	Diff   []byte

	// Before and After are the host releases the repository is built
	// for before and after a change of them (see [Retarget]); nil for an
	// upgrade of a repository built for one release.
	Before, After []string
	// Added is the release added, if any, and AddedFrom the release whose
	// code and module file it took after; From and To are then their
	// manifests, and Modules the moves between their module files.
	Added, AddedFrom string
	// Removed are the releases dropped.
	Removed []string
}

// Conflicts lists the files holding conflict markers.
func (r *Result) Conflicts() []string { return r.paths(Conflicted) }

// Pending lists the contract changes the author must still make.
func (r *Result) Pending() []Change {
	var out []Change
	for _, c := range r.Contract {
		if c.Pending() {
			out = append(out, c)
		}
	}
	return out
}

func (r *Result) paths(a Action) []string {
	var out []string
	for _, f := range r.Files {
		if f.Action == a {
			out = append(out, f.Path)
		}
	}
	return out
}

// A repo is a generated repository as found on disk, every file of it
// read and written through root.
type repo struct {
	dir  string
	root *filetree.Root
	lock *lock.Lock
	// answers are the lock's, with the upgrade's --set applied; changed
	// says how they differ, a line per answer.
	answers lock.Answers
	changed []string
}

// open reads the repository's lock and checks that m is a release of the
// same host. The repository is locked against other runs. One that will
// write recovers first what an interrupted run left; one that only reads
// refuses such a repository, whose files are neither the old nor the new.
func open(dir string, m *manifest.Manifest, write bool, log func(string, ...any)) (*repo, error) {
	if m != nil {
		if err := m.Validate(); err != nil {
			return nil, err
		}
	}
	root, err := filetree.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	r := &repo{dir: root.Dir(), root: root}
	if err := r.load(dir, m, write, log); err != nil {
		root.Close()
		return nil, err
	}
	return r, nil
}

func (r *repo) load(dir string, m *manifest.Manifest, write bool, log func(string, ...any)) error {
	if err := r.root.Lock(); err != nil {
		return err
	}
	if write {
		_, err := r.root.Recover(func(rc *filetree.Recovery) {
			log("%s: %s", dir, rc)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
	} else if r.root.Pending() {
		return fmt.Errorf("%s: an interrupted scaffold run left its journal: run scaffold upgrade (without --check or --dry-run) to recover the repository first", dir)
	}
	data, err := r.root.ReadFile(lock.FileName)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if data == nil {
		return fmt.Errorf("%s is not a plugin repository scaffold generated: it has no %s, which an upgrade starts from", dir, lock.FileName)
	}
	lk, err := lock.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %s is damaged, restore it from version control: %w", dir, lock.FileName, err)
	}
	if m == nil {
		m = lk.Manifest
	}
	if got, want := m.Host.Name, lk.Manifest.Host.Name; got != want {
		return fmt.Errorf("the manifest is for host %s, but %s is a plugin for %s (%s): an upgrade moves a plugin to another release of its own host", got, dir, want, lock.FileName)
	}
	r.lock = lk
	r.answers = lk.Answers
	return nil
}

// release makes the lock's release o's when o names none.
func (r *repo) release(o *Options) {
	if o.Manifest == nil {
		o.Manifest, o.ManifestSource = r.lock.Manifest, r.lock.ManifestSource
	}
}

// set applies the answers of --set.
func (r *repo) set(sets []string) error {
	var err error
	r.answers, r.changed, err = setAnswers(r.lock.Answers, sets)
	return err
}

func (r *repo) close() { r.root.Close() }

// read returns the repository's file at p, or nil when there is none.
func (r *repo) read(p string) ([]byte, error) {
	return r.root.ReadFile(p)
}

// tracked reads the files the last generation wrote that the author kept,
// and the given others.
func (r *repo) tracked(others ...string) (filetree.Tree, error) {
	ours := filetree.Tree{}
	paths := slices.Concat(filetree.Tree(r.lock.Files).Paths(), others, []string{"go.mod", "go.sum"})
	left := map[string]map[string]string{}
	for _, p := range paths {
		if err := filetree.CheckPath(p); err != nil {
			return nil, fmt.Errorf("%s: %w", lock.FileName, err)
		}
		if err := r.leftovers(p, left); err != nil {
			return nil, err
		}
		data, err := r.read(p)
		if err != nil {
			return nil, err
		}
		if data != nil {
			ours[p] = data
		}
	}
	return ours, nil
}

// leftovers refuses a file that an upgrade by an earlier scaffold, killed
// while it renamed files, may have left moved aside as .NAME.old-N or
// staged as .NAME.new-N: the file the author sees missing or old may be
// there, and an upgrade would take it for deleted. left holds what
// [repo.leftoverNames] found in each directory looked at so far: a lock
// may list thousands of files of one directory, which is read once.
func (r *repo) leftovers(p string, left map[string]map[string]string) error {
	dir, base := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "."
	}
	names, ok := left[dir]
	if !ok {
		names = r.leftoverNames(dir)
		left[dir] = names
	}
	if name, ok := names[base]; ok {
		return fmt.Errorf("%s: %s is left from an interrupted upgrade: if %s is missing or old, restore it from there, then remove %s and run again", p, path.Join(path.Dir(p), name), base, name)
	}
	return nil
}

// leftoverNames maps each NAME that an entry of dir named .NAME.old-N or
// .NAME.new-N may be left of to the first such entry.
func (r *repo) leftoverNames(dir string) map[string]string {
	names := map[string]string{}
	entries, err := r.root.ReadDir(dir)
	if err != nil {
		return names // no directory, no leftovers; reading a file says more
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".") {
			continue
		}
		for _, kind := range []string{".old-", ".new-"} {
			for i := 1; ; i++ {
				j := strings.Index(name[i:], kind)
				if j < 0 {
					break
				}
				i += j
				if _, seen := names[name[1:i]]; !seen {
					names[name[1:i]] = name
				}
			}
		}
	}
	return names
}

func (r *repo) result(o *Options) *Result {
	return &Result{
		Name:          r.lock.Answers.Name,
		From:          r.lock.Manifest,
		To:            o.Manifest,
		FromTemplates: r.lock.TemplateVersion,
		ToTemplates:   o.templateVersion(),
		Answers:       r.changed,
		DryRun:        o.DryRun,
	}
}

// behind says why the repository does not match the release and the
// templates, or "" when it does.
func (r *repo) behind(o *Options) string {
	from, to := r.lock.Manifest, o.Manifest
	var why []string
	if r.lock.ManifestDigest != to.Digest() {
		if from.Host.Version != to.Host.Version {
			s := fmt.Sprintf("%s %s → %s", to.Host.Name, from.Host.Version, to.Host.Version)
			if from.Go != to.Go {
				s += fmt.Sprintf(" (Go %s → %s)", from.Go, to.Go)
			}
			why = append(why, s)
		} else {
			why = append(why, fmt.Sprintf("the %s %s manifest differs from the one %s records", to.Host.Name, to.Host.Version, lock.FileName))
		}
	}
	if tv := o.templateVersion(); r.lock.TemplateVersion != tv {
		why = append(why, fmt.Sprintf("templates %s → %s", r.lock.TemplateVersion, tv))
	}
	why = append(why, r.changed...)
	return strings.Join(why, ", ")
}

// Status compares the repository in o.Dir with the release and templates
// of o, and changes nothing. A repository that matches them is checked for
// what the last upgrade left to do: conflict markers, and hooks whose
// signatures differ from the contract's.
func Status(o Options) (*Result, error) {
	if isMulti(o.Dir) {
		if o.Manifest == nil {
			return nil, errSetMulti(o.Dir)
		}
		return statusTargets(o)
	}
	r, err := open(o.Dir, o.Manifest, false, o.logf)
	if err != nil {
		return nil, err
	}
	defer r.close()
	r.release(&o)
	if err := r.set(o.Set); err != nil {
		return nil, err
	}
	res := r.result(&o)
	if res.Behind = r.behind(&o); res.Behind != "" {
		return res, nil
	}
	res.UpToDate = true
	return res, r.unfinished(res)
}

// unfinished records in res the conflict markers and contract mismatches
// left in an up-to-date repository.
func (r *repo) unfinished(res *Result) error {
	src, err := r.conflicted(res)
	if err != nil {
		return err
	}
	k := &r.lock.Manifest.Contract
	res.Contract = verify(k, r.lock.Answers, parseCode(src), []string{generator.TypeName(r.lock.Answers.Name, k)})
	return nil
}

// conflicted records in res the tracked files that still hold conflict
// markers, and returns the repository's sources, for the contract's check.
func (r *repo) conflicted(res *Result) (filetree.Tree, error) {
	ours, err := r.tracked()
	if err != nil {
		return nil, err
	}
	for _, p := range ours.Paths() {
		if merge.HasConflicts(ours[p], merge.DefaultLabels) {
			res.Files = append(res.Files, File{p, Conflicted})
		}
	}
	return r.sources()
}

// Run upgrades the repository in o.Dir to the release o.Manifest
// describes. A repository that already matches is left alone, and the
// Result says what is left unfinished. An error means nothing was
// written; conflicts and contract changes to fix are in the Result, after
// the upgrade was written.
//
// A repository built for several host releases moves by adding the new
// release and dropping the oldest (see [Retarget]).
func Run(ctx context.Context, o Options) (*Result, error) {
	if isMulti(o.Dir) {
		if o.Manifest == nil {
			return nil, errSetMulti(o.Dir)
		}
		return Retarget(ctx, TargetOptions{Options: o, upgrade: true})
	}
	r, err := open(o.Dir, o.Manifest, !o.DryRun, o.logf)
	if err != nil {
		return nil, err
	}
	defer r.close()
	r.release(&o)
	if err := r.set(o.Set); err != nil {
		return nil, err
	}
	res := r.result(&o)
	if r.behind(&o) == "" {
		res.UpToDate = true
		return res, r.unfinished(res)
	}
	res.Settings = manifest.ChangedSettings(r.lock.AcceptedSettings(), o.Manifest.Settings())
	if len(res.Settings) > 0 && !o.AcceptSettings {
		return nil, &SettingsError{Release: o.Manifest, Changes: res.Settings}
	}
	u, err := newUpgrader(r, &o, res)
	if err != nil {
		return nil, err
	}
	changes, err := u.run(ctx)
	if err != nil {
		return nil, err
	}
	if o.DryRun {
		res.Diff = unifiedDiff(u.ours, changes)
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.logf("writing %d files", len(changes))
	if err := r.root.Apply("upgrade", changes, lock.FileName); err != nil {
		return nil, fmt.Errorf("writing the upgrade (the repository is unchanged): %w", err)
	}
	return res, nil
}

// A SettingsError stops an upgrade to a release that changes the
// settings deciding where the plugin's modules come from, which of them
// are verified, or how its code compiles, until the author accepts them.
type SettingsError struct {
	Release *manifest.Manifest
	Changes []manifest.SettingChange
}

func (e *SettingsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s changes settings that decide where the plugin's modules come from, which are verified, or how it compiles; nothing was changed:\n", e.Release.Host.Name, e.Release.Host.Version)
	writeSettings(&b, e.Changes)
	b.WriteString("review them, then run scaffold upgrade again with --accept-settings to take them")
	return b.String()
}

// unifiedDiff shows changes against the files the author has.
func unifiedDiff(ours filetree.Tree, changes map[string][]byte) []byte {
	paths := make([]string, 0, len(changes))
	for p := range changes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	for _, p := range paths {
		oldName, newName := "a/"+p, "b/"+p
		if ours[p] == nil {
			oldName = "/dev/null"
		}
		if changes[p] == nil {
			newName = "/dev/null"
		}
		b.Write(diff.Diff(oldName, ours[p], newName, changes[p]))
	}
	return b.Bytes()
}
