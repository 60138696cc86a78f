// Package filetree holds a set of files in memory and puts them on disk all
// at once, and is the one way into a repository's files: a [Root] reads,
// writes, renames and removes inside it without following a link or
// touching .git, and a change of several files is committed through a
// journal, so that a failure or a kill at any point is undone by the next
// run.
package filetree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// A Tree maps slash-separated relative paths to file contents.
type Tree map[string][]byte

// Paths returns the tree's paths, sorted.
func (t Tree) Paths() []string {
	paths := make([]string, 0, len(t))
	for p := range t {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// CheckPath refuses a path that would leave the tree's root, and one
// inside .git or scaffold's own journal.
func CheckPath(p string) error {
	if p == "" || !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("%q is not a relative path inside the repository", p)
	}
	return checkElems(p)
}

// mode gives scripts their execute bit.
func mode(p string) fs.FileMode {
	if strings.HasSuffix(p, ".sh") {
		return 0o755
	}
	return 0o644
}

// WriteTo writes every file of t under dir.
func (t Tree) WriteTo(dir string) error {
	for _, p := range t.Paths() {
		if err := CheckPath(p); err != nil {
			return err
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, t[p], mode(p)); err != nil {
			return err
		}
	}
	return nil
}

// Limits of Linux's file systems: a file name (NAME_MAX) and a path the
// system takes whole (PATH_MAX, with its NUL).
const (
	nameMax = 255
	pathMax = 4095
)

// checkLength refuses a path the file system would refuse as too long,
// saying so first: the path itself, cut to be shown, comes after.
func checkLength(p string) error {
	for _, elem := range strings.Split(filepath.Clean(p), string(filepath.Separator)) {
		if len(elem) > nameMax {
			return fmt.Errorf("a file name in it is %d bytes, more than the %d a file name may be: %s", len(elem), nameMax, cutName(elem))
		}
	}
	if abs, err := filepath.Abs(p); err == nil && len(abs) > pathMax {
		return fmt.Errorf("it is %d bytes as an absolute path, more than the %d a path may be: %s", len(abs), pathMax, cutName(abs))
	}
	return nil
}

// cutName shows the start of a long name.
func cutName(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}

// CheckTarget refuses a target that exists and is anything but an empty
// directory, or one holding only a .git directory: generation never
// overwrites, and never writes through a link. A directory holding only what an interrupted generation left is
// taken: the generation recovers it first.
func CheckTarget(target string) error {
	if err := checkLength(target); err != nil {
		return err
	}
	if fi, err := os.Lstat(target); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link: give the directory itself", target)
	}
	entries, err := os.ReadDir(target)
	if err == nil && pendingIn(target) {
		return nil
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		if fi, serr := os.Stat(target); serr == nil && !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a directory", target)
		}
		return err
	case len(entries) == 1 && entries[0].Name() == ".git" && entries[0].IsDir():
		// A fresh git init: its .git is left as it is, and the files go
		// in beside it.
		return nil
	case len(entries) > 0:
		return fmt.Errorf("%s exists and is not empty", target)
	}
	return nil
}

// Read reads every regular file under dir into a tree, skipping the
// directories skip names (matched against slash paths relative to dir).
func Read(dir string, skip func(p string) bool) (Tree, error) {
	t := Tree{}
	err := filepath.WalkDir(dir, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, full)
		if err != nil {
			return err
		}
		p := filepath.ToSlash(rel)
		if p != "." && skip != nil && skip(p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := input.ReadFile(full, input.SourceLimit)
		if err != nil {
			return err
		}
		t[p] = data
		return nil
	})
	return t, err
}
