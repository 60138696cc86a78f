package testbed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestCacheDirRefuses(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(home, link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ dir, err string }{
		{"/", "is the root directory"},
		{"/tmp/..", "is the root directory"},
		{home, "is the home directory"},
		{home + "/", "is the home directory"},
		{link, "is the home directory"},
		{"cache", "is not an absolute path"},
		{"./" + home, "is not an absolute path"},
	} {
		t.Setenv("SCAFFOLD_TEST_CACHE", tt.dir)
		dir, err := CacheDir()
		if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "SCAFFOLD_TEST_CACHE: ") {
			t.Errorf("SCAFFOLD_TEST_CACHE=%s: CacheDir() = %q, %v; want an error saying %q", tt.dir, dir, err, tt.err)
		}
	}
	t.Setenv("SCAFFOLD_TEST_CACHE", filepath.Join(home, "cache"))
	if dir, err := CacheDir(); err != nil || dir != filepath.Join(home, "cache") {
		t.Errorf("CacheDir() = %q, %v; want %s", dir, err, filepath.Join(home, "cache"))
	}
	t.Setenv("SCAFFOLD_TEST_CACHE", "")
	t.Setenv("XDG_CACHE_HOME", "")
	if dir, err := CacheDir(); err != nil || dir != filepath.Join(home, ".cache", "scaffold-test") {
		t.Errorf("CacheDir() = %q, %v; want %s", dir, err, filepath.Join(home, ".cache", "scaffold-test"))
	}
}

// TestFill has many goroutines, each with its own lock on the file, ask
// for the same directory: it is made once, and is there only whole.
func TestFill(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "host")
	// A build that was killed left its temporary directory.
	if err := os.MkdirAll(dir+".tmp", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir+".tmp", "half"), nil, 0o444); err != nil {
		t.Fatal(err)
	}
	var builds atomic.Int32
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			errs[i] = fill(dir, func(tmp string) error {
				builds.Add(1)
				if _, err := os.Stat(filepath.Join(tmp, "half")); err == nil {
					return errors.New("the killed build's file is still there")
				}
				time.Sleep(50 * time.Millisecond)
				return os.WriteFile(filepath.Join(tmp, "host"), []byte("built"), 0o755)
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("built %d times, want once", n)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "host")); err != nil || string(data) != "built" {
		t.Errorf("host: %q, %v; want %q", data, err, "built")
	}
	if _, err := os.Stat(dir + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary directory is left: %v", err)
	}

	// A failed build leaves nothing, and the next one tries again.
	other := filepath.Join(filepath.Dir(dir), "other")
	if err := fill(other, func(tmp string) error {
		if err := os.WriteFile(filepath.Join(tmp, "half"), nil, 0o644); err != nil {
			return err
		}
		return errors.New("no compiler")
	}); err == nil || err.Error() != "no compiler" {
		t.Errorf("fill: %v, want the build's error", err)
	}
	for _, p := range []string{other, other + ".tmp"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a failed build left %s: %v", p, err)
		}
	}
	if err := fill(other, func(tmp string) error { return nil }); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("the second build made nothing: %v", err)
	}
}

// TestLockFileRemoved: a lock taken on a file that was removed while the
// process waited is taken again on the file now at the path.
func TestLockFileRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "world.lock")
	unlock, err := lockFile(path, syscall.LOCK_EX)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		unlock, err := lockFile(path, syscall.LOCK_SH)
		if err == nil {
			defer unlock()
			// Held on the file at path, no exclusive lock can be taken.
			var other func()
			if other, err = tryLockFile(path); other != nil {
				other()
				err = errors.New("an exclusive lock was taken beside a shared one")
			}
		}
		got <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting lock was not taken")
	}
}

func TestWorldKey(t *testing.T) {
	examples := t.TempDir()
	write := func(name, data string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(examples, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("gateway/main.go", "package main\n", 0o644)
	write("modules/example.com/sdk@v1.0.0/sdk.go", "package sdk\n", 0o644)
	key := func() string {
		t.Helper()
		k, err := worldKey(examples)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	first := key()
	if !worldName.MatchString("world-" + first) {
		t.Fatalf("key %q makes no world's name", first)
	}
	if again := key(); again != first {
		t.Errorf("key changed with nothing changed: %s, then %s", first, again)
	}
	seen := map[string]string{first: "the first files"}
	for _, change := range []struct {
		what string
		do   func()
	}{
		{"a module's file edited", func() { write("modules/example.com/sdk@v1.0.0/sdk.go", "package sdk // v2\n", 0o644) }},
		{"a file made executable", func() { write("modules/example.com/sdk@v1.0.0/sdk.go", "package sdk // v2\n", 0o755) }},
		{"a file added", func() { write("gateway/Makefile", "build:\n", 0o644) }},
		{"a file renamed", func() {
			if err := os.Rename(filepath.Join(examples, "gateway/Makefile"), filepath.Join(examples, "gateway/GNUmakefile")); err != nil {
				t.Fatal(err)
			}
		}},
		{"an empty directory added", func() {
			if err := os.Mkdir(filepath.Join(examples, "empty"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{"the toolchain's settings", func() { t.Setenv("GOFLAGS", "-tags=other") }},
		{"the C compiler", func() { t.Setenv("CC", "musl-gcc") }},
	} {
		change.do()
		k := key()
		if was, ok := seen[k]; ok {
			t.Errorf("%s: key %s is the one of %s", change.what, k, was)
		}
		seen[k] = change.what
	}
	// The same files elsewhere: a build without -trimpath records where.
	moved := filepath.Join(t.TempDir(), "examples")
	if err := os.Rename(examples, moved); err != nil {
		t.Fatal(err)
	}
	examples = moved
	if k := key(); seen[k] != "" {
		t.Errorf("moved: key %s is the one of %s", k, seen[k])
	}
}

func TestPrune(t *testing.T) {
	cache := t.TempDir()
	old := time.Now().Add(-staleAfter - time.Hour)
	world := func(name string, when time.Time) string {
		t.Helper()
		dir := filepath.Join(cache, name)
		// A module cache as the go command leaves it, read-only.
		ro := filepath.Join(dir, "modcache", "example.com", "sdk@v1.0.0")
		if err := os.MkdirAll(ro, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ro, "sdk.go"), nil, 0o444); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(dir, when, when); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	stale := world("world-0000000000000001", old)
	held := world("world-0000000000000002", old)
	recent := world("world-0000000000000003", time.Now())
	current := world("world-0000000000000004", old)
	other := world("world-elsewhere", old)
	builder := world("builder", old)
	unlock, err := lockFile(held+".lock", syscall.LOCK_SH)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if err := prune(cache, current); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{stale, stale + ".lock"} {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is left: %v", filepath.Base(p), err)
		}
	}
	for _, dir := range []string{held, recent, current, other, builder} {
		if _, err := os.Stat(filepath.Join(dir, "modcache", "example.com", "sdk@v1.0.0", "sdk.go")); err != nil {
			t.Errorf("%s was pruned: %v", filepath.Base(dir), err)
		}
	}
	// Made writable again, so that t.TempDir can remove them.
	for _, dir := range []string{held, recent, current, other, builder} {
		if err := os.Chmod(filepath.Join(dir, "modcache", "example.com", "sdk@v1.0.0"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckRemovable(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory")
	}
	for _, dir := range []string{"/", "//", "/..", home, home + "/.", "relative"} {
		if err := checkRemovable(dir); err == nil {
			t.Errorf("checkRemovable(%q) = nil, want a refusal", dir)
		}
	}
	if err := checkRemovable(filepath.Join(t.TempDir(), "world-0000000000000001")); err != nil {
		t.Errorf("a directory in the cache: %v", err)
	}
}

// TestOpenShares opens the world of an examples directory twice, as two
// test binaries of a run do: both get the same world and the proxy
// written once, each its own scratch directory; Close leaves the world,
// which is not pruned while a run holds it, and is once none does and it
// has gone unused.
func TestOpenShares(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("SCAFFOLD_TEST_CACHE", cache)
	examples := t.TempDir()
	mod := filepath.Join(examples, "modules", "example.com", "kit@v1.0.0")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"go.mod": "module example.com/kit\n\ngo 1.26\n", "kit.go": "package kit\n"} {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, err := Open(examples)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(examples)
	if err != nil {
		t.Fatal(err)
	}
	// On a failure before they are closed below: Close again is harmless.
	t.Cleanup(func() { a.Close(); b.Close() })
	if a.Root != b.Root || filepath.Dir(a.Root) != cache || !worldName.MatchString(filepath.Base(a.Root)) {
		t.Fatalf("worlds %s and %s, want one world-KEY in %s", a.Root, b.Root, cache)
	}
	if a.Scratch == b.Scratch {
		t.Errorf("both have the scratch directory %s", a.Scratch)
	}
	if _, err := os.Stat(filepath.Join(a.Root, "proxy", "example.com", "kit", "@v", "v1.0.0.zip")); err != nil {
		t.Errorf("the proxy serves no example.com/kit: %v", err)
	}
	if got, want := a.Getenv("GOMODCACHE"), filepath.Join(a.Root, "modcache"); got != want {
		t.Errorf("GOMODCACHE=%s, want %s", got, want)
	}
	old := time.Now().Add(-staleAfter - time.Hour)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.Scratch); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the closed world's scratch directory is left: %v", err)
	}
	if err := os.Chtimes(a.Root, old, old); err != nil {
		t.Fatal(err)
	}
	if err := prune(cache, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.Root); err != nil {
		t.Fatalf("a world a run holds was pruned: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.Root); err != nil {
		t.Fatalf("Close removed the shared world: %v", err)
	}
	if err := prune(cache, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.Root); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an unused world is left: %v", err)
	}
}
