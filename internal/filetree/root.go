package filetree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// A Root is a repository directory opened for confined access: every
// read, write, rename and removal inside a repository goes through it.
// It is built on [os.Root], so no path leaves the directory, and it is
// stricter still: it follows no symbolic link at all, refuses anything
// but regular files and directories, and never touches .git.
type Root struct {
	dir  string
	r    *os.Root
	lock *os.File
}

// OpenRoot opens the directory dir.
//
// dir itself may be a symbolic link to the directory, as one the author
// names (link/ as well as link) leads there: the root is the directory it
// leads to, and within it no link is followed.
func OpenRoot(dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		if real != abs {
			what := "a regular file"
			if !fi.Mode().IsRegular() {
				what = input.Kind(fi.Mode())
			}
			return nil, fmt.Errorf("%s is not a directory: it is a symbolic link to %s, %s", dir, real, what)
		}
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	r, err := os.OpenRoot(real)
	if err != nil {
		return nil, err
	}
	return &Root{dir: real, r: r}, nil
}

// Dir is the directory's absolute path.
func (r *Root) Dir() string { return r.dir }

// Close releases the directory and its lock.
func (r *Root) Close() error {
	if r.lock != nil {
		r.lock.Close()
		r.lock = nil
	}
	return r.r.Close()
}

// Lock takes the directory for this process alone, until Close. Another
// scaffold writing into it, or recovering it, would make each see a tree
// the other is changing.
func (r *Root) Lock() error {
	if r.lock != nil {
		return nil
	}
	f, err := r.r.Open(".")
	if err != nil {
		return fmt.Errorf("locking %s: %w", r.dir, err)
	}
	if err := flock(f, r.dir); err != nil {
		return err
	}
	r.lock = f
	return nil
}

// isGit tells whether a path element names the git directory; a
// case-insensitive file system would take .GIT for it.
func isGit(elem string) bool { return strings.EqualFold(elem, ".git") }

// checkElems refuses a path with a .git element or one of the journal's
// own names.
func checkElems(p string) error {
	for i, elem := range strings.Split(p, "/") {
		if isGit(elem) {
			return fmt.Errorf("%q is inside .git, which scaffold never touches", p)
		}
		if i == 0 && (elem == txnDir || elem == doneDir) {
			return fmt.Errorf("%q is scaffold's own journal", p)
		}
	}
	return nil
}

// Lstat describes p without following a link, after checking that no
// directory on the way is a link: a link is refused wherever it is. A
// missing p gives an error that matches [fs.ErrNotExist].
func (r *Root) Lstat(p string) (fs.FileInfo, error) {
	if err := CheckPath(p); err != nil {
		return nil, err
	}
	elems := strings.Split(p, "/")
	for i := range elems {
		sub := strings.Join(elems[:i+1], "/")
		fi, err := r.r.Lstat(filepath.FromSlash(sub))
		if err != nil {
			return nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is a symbolic link: scaffold follows no links inside a repository", sub)
		}
		if i < len(elems)-1 && !fi.IsDir() {
			return nil, fmt.Errorf("%s is not a directory", sub)
		}
		if i == len(elems)-1 {
			return fi, nil
		}
	}
	panic("unreachable")
}

// regular is [Root.Lstat] for a path that must be a regular file or
// absent: it returns nil, nil for an absent one.
func (r *Root) regular(p string) (fs.FileInfo, error) {
	fi, err := r.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	return fi, nil
}

// ReadFile reads the regular file p. A missing file gives nil, nil; a
// link, a device, a pipe or a directory is an error, found before
// anything is opened, so nothing blocks.
func (r *Root) ReadFile(p string) ([]byte, error) {
	fi, err := r.regular(p)
	if err != nil || fi == nil {
		return nil, err
	}
	return r.readRegular(p)
}

// readRegular reads the file p as [Root.ReadFile] does, without its
// checks of the path: the journal's own files, which no repository path
// may name, are read through it. It follows no link and opens without
// blocking, so that a FIFO where a file should be cannot hang the run.
func (r *Root) readRegular(p string) ([]byte, error) {
	f, err := r.r.OpenFile(filepath.FromSlash(p), os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	defer f.Close()
	// What is open is checked: a path checked before may have been
	// swapped since.
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	// The largest file a repository of scaffold's holds is its lock.
	if err := input.Check(f, p, input.LockLimit); err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	data, err := input.ReadAll(f, p, input.LockLimit)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	return data, nil
}

// ReadDir lists the directory p ("." for the root).
func (r *Root) ReadDir(p string) ([]fs.DirEntry, error) {
	if p != "." {
		fi, err := r.Lstat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("%s is not a directory", p)
		}
	}
	return fs.ReadDir(r.r.FS(), p)
}

// Read reads every regular file of the directory into a tree, skipping
// the paths skip names, .git, scaffold's journal, links and anything else
// not a regular file or a directory. skip sees each entry before anything
// of it is read: a file it skips is never opened, a directory it skips
// never entered; an error it returns ends the walk.
func (r *Root) Read(skip func(p string, d fs.DirEntry) (bool, error)) (Tree, error) {
	t := Tree{}
	err := fs.WalkDir(r.r.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		skipped := isGit(d.Name()) || p == txnDir || p == doneDir
		if !skipped && skip != nil {
			if skipped, err = skip(p, d); err != nil {
				return err
			}
		}
		if skipped {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := r.ReadFile(p)
		if err != nil {
			return err
		}
		t[p] = data
		return nil
	})
	return t, err
}

// writeFile creates p, which must not exist, with data, flushed to disk.
func (r *Root) writeFile(p string, data []byte, perm fs.FileMode) error {
	f, err := r.r.OpenFile(filepath.FromSlash(p), os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm) // whatever the umask
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes the directory p's entries, so that a rename is on disk
// before the next step relies on it.
func (r *Root) syncDir(p string) error {
	f, err := r.r.Open(filepath.FromSlash(p))
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (r *Root) rename(from, to string) error {
	return r.r.Rename(filepath.FromSlash(from), filepath.FromSlash(to))
}

func (r *Root) exists(p string) bool {
	_, err := r.r.Lstat(filepath.FromSlash(p))
	return err == nil
}

func (r *Root) removeAll(p string) error {
	return r.r.RemoveAll(filepath.FromSlash(p))
}

// parents lists p's parent directories, outermost first.
func parents(p string) []string {
	var out []string
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		out = append([]string{d}, out...)
	}
	return out
}
