package testbed

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"time"
)

// The shared world. Every test binary of a run (go test ./... runs them
// at the same time) and every later run opens the same world while what
// its hosts are built from is unchanged, so each example host is built
// once, not once per package and per run. It lives in the cache directory
// as world-KEY, KEY a digest of the examples directory, the toolchain and
// this package's recipe ([worldKey]). Each build goes to a temporary
// sibling renamed into place when it is complete, under a lock beside it
// ([fill]): a killed run leaves nothing a later one takes for done.
// A run holds a shared lock on its world; worlds no run holds and none has
// opened for [staleAfter] are removed.

// staleAfter is how long a world no run holds is kept: a day, so that
// worktrees and branches taken up again the same day find their hosts
// built.
const staleAfter = 24 * time.Hour

// recipe is this package's code that says how the world is built: a
// change to it must not find hosts built the old way.
//
//go:embed testbed.go
var recipe []byte

// worldName is the pattern of a world's directory in the cache; nothing
// else there is ever removed as a stale world.
var worldName = regexp.MustCompile(`^world-[0-9a-f]{16}$`)

// CacheDir returns the directory test builds are kept in between runs:
// $SCAFFOLD_TEST_CACHE, else scaffold-test in the user's cache directory.
// It must be absolute and neither / nor the home directory: what goes
// stale in it is removed.
func CacheDir() (string, error) {
	dir := os.Getenv("SCAFFOLD_TEST_CACHE")
	if dir == "" {
		user, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory for test builds (set SCAFFOLD_TEST_CACHE): %w", err)
		}
		dir = filepath.Join(user, "scaffold-test")
	} else if !filepath.IsAbs(dir) {
		return "", fmt.Errorf("SCAFFOLD_TEST_CACHE: %q is not an absolute path", dir)
	}
	dir = filepath.Clean(dir)
	if err := checkRemovable(dir); err != nil {
		return "", fmt.Errorf("SCAFFOLD_TEST_CACHE: %w", err)
	}
	return dir, nil
}

// checkRemovable refuses a directory that must never be removed nor have
// what is in it removed: a relative path, /, the home directory (as
// written or through a symbolic link).
func checkRemovable(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("%q is not an absolute path", dir)
	}
	paths := []string{filepath.Clean(dir)}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		paths = append(paths, real)
	}
	home, _ := os.UserHomeDir()
	var homes []string
	if home != "" {
		homes = append(homes, filepath.Clean(home))
		if real, err := filepath.EvalSymlinks(home); err == nil {
			homes = append(homes, real)
		}
	}
	for _, p := range paths {
		if p == "/" {
			return fmt.Errorf("%s is the root directory", dir)
		}
		for _, h := range homes {
			if p == h {
				return fmt.Errorf("%s is the home directory", dir)
			}
		}
	}
	return nil
}

// removeTree removes dir and everything in it, making directories the go
// command left read-only writable first. It refuses what [checkRemovable]
// refuses.
func removeTree(dir string) error {
	if err := checkRemovable(dir); err != nil {
		return fmt.Errorf("not removing %s: %w", dir, err)
	}
	// What fails to be made writable shows in RemoveAll's error.
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
	return os.RemoveAll(dir)
}

// Open returns the world for the examples directory that test binaries
// share, in the cache directory ([CacheDir]), building nothing yet: hosts
// are built when first asked for. The run holds the world until Close,
// which leaves it for the next run.
func Open(examples string) (*World, error) {
	cache, err := CacheDir()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, err
	}
	key, err := worldKey(examples)
	if err != nil {
		return nil, err
	}
	root := filepath.Join(cache, "world-"+key)
	unlock, err := lockFile(root+".lock", syscall.LOCK_SH)
	if err != nil {
		return nil, err
	}
	w, err := open(root, examples)
	if err != nil {
		unlock()
		return nil, err
	}
	w.release = unlock
	now := time.Now()
	if err := os.Chtimes(root, now, now); err != nil {
		w.Close()
		return nil, err
	}
	if w.Scratch, err = os.MkdirTemp("", "scaffold-scratch-"); err != nil {
		w.Close()
		return nil, err
	}
	// Pruning is housekeeping: what it cannot remove now it removes on a
	// later run.
	_ = prune(cache, root)
	return w, nil
}

// prune removes the worlds in cache other than keep that no run holds and
// none has opened for staleAfter.
func prune(cache, keep string) error {
	entries, err := os.ReadDir(cache)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		dir := filepath.Join(cache, e.Name())
		if !e.IsDir() || !worldName.MatchString(e.Name()) || dir == keep {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < staleAfter {
			continue
		}
		unlock, err := tryLockFile(dir + ".lock")
		if err != nil || unlock == nil {
			continue // in use, or gone meanwhile
		}
		// The lock file goes with the world, while it is held: one who
		// waits for it finds the file gone and takes a new one.
		if err := removeTree(dir); err != nil {
			errs = append(errs, err)
		} else if err := os.Remove(dir + ".lock"); err != nil {
			errs = append(errs, err)
		}
		unlock()
	}
	return errors.Join(errs...)
}

// worldKey is a digest of what the world's builds are made from: the
// examples directory (its path, which a build without -trimpath records,
// and every file's name, mode and content), the toolchain and the
// environment the go command builds with, and this package's recipe.
func worldKey(examples string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "examples %s\n", examples)
	err := filepath.WalkDir(examples, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(examples, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %v %d\n", rel, info.Mode(), info.Size())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "-> %q\n", target)
		case d.Type().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			_, err = io.Copy(h, f)
			f.Close()
			if err != nil {
				return fmt.Errorf("reading %s: %w", p, err)
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("digesting the examples directory: %w", err)
	}
	// What the go command builds with; GOGCCFLAGS is left out, as it
	// names a new temporary directory each time.
	vars := []string{"GOVERSION", "GOROOT", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "GOEXPERIMENT",
		"GOTOOLCHAIN", "GOFLAGS", "CGO_ENABLED", "CC", "CXX", "CGO_CFLAGS", "CGO_LDFLAGS", "AR", "PKG_CONFIG"}
	out, err := exec.Command("go", append([]string{"env"}, vars...)...).Output()
	if err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	h.Write(out)
	h.Write(recipe)
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// fill makes dir with build, once for every process that shares dir:
// build writes into an empty temporary directory, renamed to dir when
// build is done, so dir is there only complete; processes asking for it
// meanwhile wait on a lock beside it.
func fill(dir string, build func(tmp string) error) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	unlock, err := lockFile(dir+".lock", syscall.LOCK_EX)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Stat(dir); err == nil {
		return nil // made while this process waited
	}
	// What a build that was killed left.
	tmp := dir + ".tmp"
	if err := removeTree(tmp); err != nil {
		return err
	}
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	if err := build(tmp); err != nil {
		_ = removeTree(tmp) // a later build removes it too
		return err
	}
	return os.Rename(tmp, dir)
}

// lockFile takes a lock on the file at path, made if needed: how is
// syscall.LOCK_EX (one process at a time) or syscall.LOCK_SH (any number,
// while no one holds it exclusively). The lock ends with the process, or
// with the function returned.
func lockFile(path string, how int) (func(), error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		if err := flock(f, how); err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if samePath(f, path) {
			return func() { f.Close() }, nil
		}
		f.Close() // removed while this process waited: lock the new one
	}
}

// tryLockFile takes an exclusive lock on the existing file at path if no
// one holds a lock on it, returning nil and no error if someone does.
func tryLockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	err = flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) || err == nil && !samePath(f, path) {
		f.Close()
		return nil, nil
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// flock is syscall.Flock, tried again when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// samePath says whether the open file f is still the file at path.
func samePath(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}
