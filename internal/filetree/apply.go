package filetree

import (
	"fmt"
	"path/filepath"
	"sort"
)

// Apply changes files of the repository dir: each path of changes is
// written with its content, or removed when the content is nil. It
// recovers what an interrupted run left first, and commits through the
// journal, so that the repository is either changed in full or, after a
// failure or a kill at any point and the next run's recovery, as it was.
// Paths are applied in sorted order, except that last, when given, is
// applied after all others: the file that records a change should change
// only once the change is made.
//
// A replaced file keeps its permissions; a new one gets the tree's.
func Apply(dir string, changes map[string][]byte, last string) error {
	r, err := OpenRoot(dir)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.Lock(); err != nil {
		return err
	}
	if _, err := r.Recover(nil); err != nil {
		return err
	}
	return r.Apply("change", changes, last)
}

// Apply is [Apply] on a locked root that has nothing to recover; op names
// the change for the message of a later recovery.
func (r *Root) Apply(op string, changes map[string][]byte, last string) error {
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
	c, err := r.Begin(op)
	if err != nil {
		return err
	}
	for _, p := range paths {
		var err error
		if changes[p] == nil {
			err = c.Remove(p)
		} else {
			err = c.Write(p, changes[p], mode(p))
		}
		if err != nil {
			c.Abort()
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if err := c.Apply(); err != nil {
		return err
	}
	// A directory the change left empty (a release's module files gone)
	// goes too. The change is made: one that cannot go is left, empty.
	for i := len(paths) - 1; i >= 0; i-- {
		if changes[paths[i]] != nil {
			continue
		}
		dirs := parents(paths[i])
		for j := len(dirs) - 1; j >= 0; j-- {
			if r.r.Remove(filepath.FromSlash(dirs[j])) != nil {
				break
			}
		}
	}
	return nil
}
