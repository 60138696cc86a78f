package filetree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// A Target is a new repository being written: a staging directory that
// the caller finishes (running commands in it) before [Target.Commit]
// puts it in place, or [Target.Abort] drops it.
//
// A target that does not exist is staged as a hidden sibling of a fixed
// name, .NAME.scaffold-new, renamed into place in one step; a run killed
// before leaves only that, which the next run for the same target
// removes. An existing empty directory is kept: the tree is staged in its
// journal directory and its entries are moved in through the journal,
// which the next run rolls back after a kill.
type Target struct {
	out   string
	stage string
	// report is told what the target held from an interrupted run and
	// what became of it.
	report func(*Recovery)

	lock   *os.File // the staging sibling, for a missing target
	root   *Root    // the target, when it exists
	change *Change
	// git is set when the target is a git repository already.
	git bool
}

// Create stages t for the target directory out, which must not exist or
// be an empty directory. What an interrupted run left there is recovered
// first, and report, when not nil, is told what became of it.
func Create(out string, t Tree, report func(*Recovery)) (*Target, error) {
	if err := CheckTarget(out); err != nil {
		return nil, err
	}
	w := &Target{out: out, report: report}
	var err error
	if _, serr := os.Lstat(out); errors.Is(serr, fs.ErrNotExist) {
		err = w.stageBeside()
	} else {
		err = w.stageInside()
		if fi, gerr := os.Lstat(filepath.Join(out, ".git")); gerr == nil && fi.IsDir() {
			w.git = true
		}
	}
	if err == nil {
		err = t.WriteTo(w.stage)
	}
	if err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// Dir is the staging directory. A .git directory made in it (by git
// init) goes into place with the tree: at once with a missing target, or
// after the journal's commit point with an existing one.
func (w *Target) Dir() string { return w.stage }

// Repository tells whether the target holds a .git directory already (a
// fresh git init): it is left as it is, and no other is made.
func (w *Target) Repository() bool { return w.git }

func (w *Target) stageBeside() error {
	parent := filepath.Dir(w.out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	stage := filepath.Join(parent, "."+filepath.Base(w.out)+".scaffold-new")
	for attempt := 0; ; attempt++ {
		err := os.Mkdir(stage, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || attempt > 0 {
			return err
		}
		// Left by another run: a live one holds its lock.
		f, err := lockDir(stage, w.out)
		if err != nil {
			return err
		}
		err = os.RemoveAll(stage)
		f.Close()
		if err != nil {
			return err
		}
		if w.report != nil {
			w.report(&Recovery{Op: "new"})
		}
		failPoint("recovered")
	}
	f, err := lockDir(stage, w.out)
	if err != nil {
		return err
	}
	w.lock, w.stage = f, stage
	return nil
}

func (w *Target) stageInside() error {
	r, err := OpenRoot(w.out)
	if err != nil {
		return err
	}
	w.root = r
	if err := r.Lock(); err != nil {
		return err
	}
	if _, err = r.Recover(w.report); err != nil {
		return fmt.Errorf("%s: %w", w.out, err)
	}
	if err := CheckTarget(w.out); err != nil {
		return err
	}
	if w.change, err = r.Begin("new"); err != nil {
		return err
	}
	stage, err := w.change.StageDir()
	if err != nil {
		return err
	}
	w.stage = filepath.Join(r.Dir(), filepath.FromSlash(stage))
	return nil
}

// Commit puts the staged tree in place.
func (w *Target) Commit() error {
	defer w.close()
	if w.change == nil {
		failPoint("staged")
		if err := os.Rename(w.stage, w.out); err != nil {
			os.RemoveAll(w.stage)
			return fmt.Errorf("moving the new repository into place: %w", err)
		}
		failPoint("committed")
		return nil
	}
	if err := w.change.AddStagedTree(); err != nil {
		w.change.Abort()
		return err
	}
	// Apply rolls back what it did on an error.
	if err := w.change.Apply(); err != nil {
		return fmt.Errorf("moving the new repository into place: %w", err)
	}
	return nil
}

// Abort drops the staged tree; the target is as it was.
func (w *Target) Abort() {
	if w.change != nil {
		w.change.Abort()
	} else if w.lock != nil {
		os.RemoveAll(w.stage)
	}
	w.close()
}

func (w *Target) close() {
	if w.lock != nil {
		w.lock.Close()
		w.lock = nil
	}
	if w.root != nil {
		w.root.Close()
		w.root = nil
	}
}

// pendingIn tells whether the directory dir holds what an interrupted
// run left, and nothing else but what it may have moved in.
func pendingIn(dir string) bool {
	for _, name := range []string{txnDir, doneDir} {
		if fi, err := os.Lstat(filepath.Join(dir, name)); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

// CheckOutputFile refuses an output file given by path that exists and is
// not a regular file: writing would replace a link, a device node or a
// named pipe with a file (run as root, -o /dev/null would destroy it).
func CheckOutputFile(name string) error {
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode().IsRegular():
		return nil
	}
	return fmt.Errorf("%s is %s, not a regular file: scaffold writes only regular files (write to standard output and redirect instead)", name, input.Kind(fi.Mode()))
}
