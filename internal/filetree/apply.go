package filetree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Apply changes files of the existing directory dir: each path of changes
// is written with its content, or removed when the content is nil. Every
// new content is first written to a temporary file beside its target;
// only once all are written are they renamed into place, each file they
// replace or remove kept aside until the end. If a step fails, what was
// done is undone and dir is left as it was. Paths are applied in sorted
// order, except that last, when given, is applied after all others: the
// file that records a change should change only once the change is made.
//
// A replaced file keeps its permissions; a new one gets the tree's.
func Apply(dir string, changes map[string][]byte, last string) error {
	paths := make([]string, 0, len(changes))
	for p := range changes {
		if err := CheckPath(p); err != nil {
			return err
		}
		if p != last {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	if _, ok := changes[last]; ok && last != "" {
		paths = append(paths, last)
	}
	a := &applier{dir: dir}
	if err := a.prepare(paths, changes); err != nil {
		a.undo()
		return err
	}
	if err := a.commit(); err != nil {
		a.undo()
		return err
	}
	a.finish()
	return nil
}

// A step is the change of one file.
type step struct {
	target string
	tmp    string // the new content, "" for a removal
	backup string // the old file, once moved aside; "" if there was none
	done   bool
}

type applier struct {
	dir     string
	steps   []*step
	newDirs []string // directories made for new files, deepest last
}

func (a *applier) prepare(paths []string, changes map[string][]byte) error {
	for _, p := range paths {
		s := &step{target: filepath.Join(a.dir, filepath.FromSlash(p))}
		a.steps = append(a.steps, s)
		data := changes[p]
		if data == nil {
			continue
		}
		perm := mode(p)
		if fi, err := os.Stat(s.target); err == nil {
			if !fi.Mode().IsRegular() {
				return fmt.Errorf("%s is not a regular file", p)
			}
			perm = fi.Mode().Perm()
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := a.mkdirs(filepath.Dir(s.target)); err != nil {
			return err
		}
		f, err := os.CreateTemp(filepath.Dir(s.target), "."+filepath.Base(s.target)+".new-")
		if err != nil {
			return err
		}
		s.tmp = f.Name()
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(s.tmp, perm)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", p, err)
		}
	}
	return nil
}

// mkdirs makes dir and the parents it lacks, remembering each.
func (a *applier) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := a.mkdirs(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	a.newDirs = append(a.newDirs, dir)
	return nil
}

func (a *applier) commit() error {
	for _, s := range a.steps {
		if _, err := os.Lstat(s.target); err == nil {
			// Aside under a fresh name: reserve one, then move onto it.
			f, err := os.CreateTemp(filepath.Dir(s.target), "."+filepath.Base(s.target)+".old-")
			if err != nil {
				return err
			}
			f.Close()
			if err := os.Rename(s.target, f.Name()); err != nil {
				os.Remove(f.Name())
				return err
			}
			s.backup = f.Name()
		}
		s.done = true
		if s.tmp != "" {
			if err := os.Rename(s.tmp, s.target); err != nil {
				return err
			}
			s.tmp = ""
		}
	}
	return nil
}

// undo puts every file back, in reverse order, and removes what was made.
func (a *applier) undo() {
	for i := len(a.steps) - 1; i >= 0; i-- {
		s := a.steps[i]
		if s.tmp != "" {
			os.Remove(s.tmp)
		}
		if !s.done {
			continue
		}
		if s.backup != "" {
			os.Rename(s.backup, s.target)
		} else {
			os.Remove(s.target)
		}
	}
	for i := len(a.newDirs) - 1; i >= 0; i-- {
		os.Remove(a.newDirs[i])
	}
}

func (a *applier) finish() {
	for _, s := range a.steps {
		if s.backup != "" {
			os.Remove(s.backup)
		}
	}
}
