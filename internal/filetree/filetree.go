// Package filetree holds a set of files in memory and puts them on disk all
// at once: written into a temporary sibling of the target directory and
// renamed into place, so a failure at any point leaves nothing behind.
package filetree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
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

// CheckPath refuses a path that would leave the tree's root.
func CheckPath(p string) error {
	if p == "" || !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("%q is not a relative path inside the repository", p)
	}
	return nil
}

// mode gives scripts their execute bit.
func mode(p string) fs.FileMode {
	if strings.HasSuffix(p, ".sh") {
		return 0o755
	}
	return 0o644
}

// Stage writes t into a new temporary directory beside target, for the
// caller to finish (run commands in it) and then [Commit] or discard with
// os.RemoveAll. target must not exist, or be an empty directory.
func Stage(target string, t Tree) (string, error) {
	if err := CheckTarget(target); err != nil {
		return "", err
	}
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".tmp-")
	if err != nil {
		return "", err
	}
	if err := t.WriteTo(tmp); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
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

// Commit moves the staged dir into place as target. A target that does not
// exist is the staged directory renamed, in one step. An existing empty
// target (the current directory, say) is kept, and the staged entries are
// renamed into it; if one fails, those already moved are taken back.
func Commit(dir, target string) error {
	if err := CheckTarget(target); err != nil {
		return err
	}
	if _, err := os.Stat(target); errors.Is(err, fs.ErrNotExist) {
		if err := os.Chmod(dir, 0o755); err != nil { // MkdirTemp made it 0700
			return err
		}
		if err := os.Rename(dir, target); err != nil {
			return fmt.Errorf("moving the new repository into place: %w", err)
		}
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var moved []string
	for _, e := range entries {
		from, to := filepath.Join(dir, e.Name()), filepath.Join(target, e.Name())
		if err := os.Rename(from, to); err != nil {
			for _, name := range moved {
				os.Rename(filepath.Join(target, name), filepath.Join(dir, name))
			}
			return fmt.Errorf("moving the new repository into place: %w", err)
		}
		moved = append(moved, e.Name())
	}
	// Every entry is in place: the repository is written, whatever
	// becomes of the empty staging directory.
	os.Remove(dir)
	return nil
}

// CheckTarget refuses a target that exists and is anything but an empty
// directory: generation never overwrites.
func CheckTarget(target string) error {
	entries, err := os.ReadDir(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		if fi, serr := os.Stat(target); serr == nil && !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a directory", target)
		}
		return err
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
		data, err := os.ReadFile(full)
		if err != nil {
			return err
		}
		t[p] = data
		return nil
	})
	return t, err
}
