package filetree

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crash is what a fail point panics with, standing for a kill.
type crash struct{ at string }

// crashAt makes the n-th fail point (counting from 1) panic, and returns
// a function that reports whether it fired and where.
func crashAt(t *testing.T, n int) func() (string, bool) {
	seen, at := 0, ""
	FailPoint = func(name string) {
		seen++
		if seen == n {
			at = name
			panic(crash{name})
		}
	}
	t.Cleanup(func() { FailPoint = nil })
	return func() (string, bool) { return at, at != "" }
}

// run calls f, turning a fail point's panic into a return.
func run(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(crash)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("crashed at %s", c.at)
		}
	}()
	return f()
}

// TestApplyCrashAtEveryStep stops a change at each of its steps, as a
// kill would, and checks that the next run's recovery leaves the tree
// exactly the old one or the new one, with nothing of the journal left.
func TestApplyCrashAtEveryStep(t *testing.T) {
	old := map[string]string{
		"keep": "-rw-r--r-- k\n", "change": "-rw-r--r-- old\n", "gone": "-rw-r--r-- g\n",
		"run": "-rwxr-xr-x #!/bin/sh\n", "sub/x": "-rw-r--r-- x\n",
	}
	changes := map[string][]byte{
		"change":      []byte("new\n"),
		"gone":        nil,
		"run":         []byte("#!/bin/sh\necho\n"),
		"sub/x":       nil,
		"sub/dir/new": []byte("n\n"),
		"deep/a/b":    []byte("b\n"),
		"lock":        []byte("l\n"),
	}
	want := map[string]string{
		"keep": "-rw-r--r-- k\n", "change": "-rw-r--r-- new\n", "run": "-rwxr-xr-x #!/bin/sh\necho\n",
		"sub/dir/new": "-rw-r--r-- n\n", "deep/a/b": "-rw-r--r-- b\n", "lock": "-rw-r--r-- l\n",
	}
	sawOld, sawNew := false, false
	for n := 1; ; n++ {
		dir := t.TempDir()
		write(t, dir, old)
		fired := crashAt(t, n)
		err := run(func() error { return Apply(dir, changes, "lock") })
		at, crashed := fired()
		FailPoint = nil
		if !crashed {
			if err != nil {
				t.Fatal(err)
			}
			if got := snapshot(t, dir); !maps.Equal(got, want) {
				t.Fatalf("after a whole Apply: %v, want %v", got, want)
			}
			if n < 8 {
				t.Fatalf("only %d fail points", n-1)
			}
			break
		}
		r, err := OpenRoot(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Pending() && at != "begun" {
			t.Errorf("crash at %s (#%d): nothing pending", at, n)
		}
		if err := r.Lock(); err != nil {
			t.Fatal(err)
		}
		rc, err := r.Recover(nil)
		r.Close()
		if err != nil {
			t.Fatalf("recovering from a crash at %s (#%d): %v", at, n, err)
		}
		got := snapshot(t, dir)
		switch {
		case maps.Equal(got, old):
			sawOld = true
			if rc != nil && rc.Completed {
				t.Errorf("crash at %s (#%d): old tree, but the recovery says %q", at, n, rc)
			}
		case maps.Equal(got, want):
			sawNew = true
			if rc == nil || !rc.Completed {
				t.Errorf("crash at %s (#%d): new tree, but the recovery says %v", at, n, rc)
			}
		default:
			t.Fatalf("crash at %s (#%d): the tree is neither the old nor the new one:\n%v", at, n, got)
		}
		if err := dirsOnly(dir, old, want); err != nil {
			t.Errorf("crash at %s (#%d): %v", at, n, err)
		}
		// And the same change then goes through.
		if err := Apply(dir, changes, "lock"); err != nil {
			t.Fatal(err)
		}
		if got := snapshot(t, dir); !maps.Equal(got, want) {
			t.Fatalf("crash at %s (#%d), then Apply: %v, want %v", at, n, got, want)
		}
	}
	if !sawOld || !sawNew {
		t.Errorf("recoveries gave the old tree: %v, the new one: %v; want both seen", sawOld, sawNew)
	}
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, s := range files {
		perm, data, _ := strings.Cut(s, " ")
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if perm == "-rwxr-xr-x" {
			mode = 0o755
		}
		if err := os.WriteFile(full, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, mode); err != nil {
			t.Fatal(err)
		}
	}
}

// dirsOnly checks that every directory under dir holds a file of one of
// the trees: no journal, no empty directory left.
func dirsOnly(dir string, trees ...map[string]string) error {
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for _, tr := range trees {
			for f := range tr {
				if strings.HasPrefix(f, filepath.ToSlash(rel)+"/") {
					return nil
				}
			}
		}
		return errors.New("directory " + rel + " left behind")
	})
}

func TestRootRefuses(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write(t, dir, map[string]string{"a": "-rw-r--r-- a\n", ".git/HEAD": "-rw-r--r-- ref\n"})
	write(t, outside, map[string]string{"secret": "-rw-r--r-- s\n"})
	for _, l := range [][2]string{{outside, "out"}, {filepath.Join(outside, "secret"), "s"}, {"a", "in"}} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	r, err := OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, p := range []string{"out/secret", "s", "in", ".git/HEAD", ".GIT/HEAD", "../x", "/etc/passwd", ".scaffold-txn/journal"} {
		if data, err := r.ReadFile(p); err == nil {
			t.Errorf("ReadFile(%q) = %q, want an error", p, data)
		}
	}
	if err := r.Lock(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"out/new", "out/secret", "s", "in", ".git/HEAD", ".git/new"} {
		if err := r.Apply("test", map[string][]byte{p: []byte("x\n")}, ""); err == nil {
			t.Errorf("Apply writing %q succeeded", p)
		}
		if err := r.Apply("test", map[string][]byte{p: nil}, ""); err == nil {
			t.Errorf("Apply removing %q succeeded", p)
		}
	}
	if r.Pending() {
		t.Error("a refused change left its journal")
	}
	tree, err := r.Read(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tree.Paths(), " "); got != "a" {
		t.Errorf("Read = %s, want a alone (no link followed, no .git)", got)
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "secret")); string(data) != "s\n" {
		t.Errorf("outside secret = %q", data)
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Errorf("outside holds %v", entries)
	}
}

// TestPlantedJournal: a journal that came with the repository (committed
// by someone, say) names files the change never wrote. Recovery takes
// back only what matches the digests it recorded, so the author's files
// stay.
func TestPlantedJournal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		journal string
		extra   map[string]string
	}{
		{"new file placed", `{"op":"upgrade","steps":[{"path":"Makefile","staged":"0","sum":"00"}]}`, nil},
		{"new directory placed", `{"op":"new","steps":[{"path":"sub","staged":"tree/sub","sum":"00"}]}`, nil},
		{"replaced file", `{"op":"upgrade","steps":[{"path":"Makefile","staged":"0","old":true,"sum":"00"}]}`,
			map[string]string{".scaffold-txn/old-0": "-rw-r--r-- planted\n"}},
		{"no digest", `{"op":"upgrade","steps":[{"path":"Makefile","staged":"0"}]}`, nil},
		{"inside .git", `{"op":"upgrade","steps":[{"path":".git","staged":"0","sum":"00"}]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"Makefile": "-rw-r--r-- mine\n", "sub/a": "-rw-r--r-- a\n", ".git/HEAD": "-rw-r--r-- ref\n"}
			write(t, dir, files)
			write(t, dir, map[string]string{".scaffold-txn/journal": "-rw-r--r-- " + tc.journal})
			write(t, dir, tc.extra)
			r := lockedRoot(t, dir)
			if _, err := r.Recover(nil); err == nil {
				t.Error("recovery from a planted journal succeeded")
			}
			got := snapshot(t, dir)
			for p, want := range files {
				if got[p] != want {
					t.Errorf("%s = %q, want %q", p, got[p], want)
				}
			}
		})
	}
}

// TestJournalNotRegular: a journal directory that came with the
// repository (unpacked from an archive, say) may hold a FIFO where the
// journal or its op file would be. Recovery reads neither through it:
// opening a FIFO for reading waits for a writer that never comes.
func TestJournalNotRegular(t *testing.T) {
	for _, name := range []string{"journal", "op"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"Makefile": "-rw-r--r-- mine\n"})
			if err := os.Mkdir(filepath.Join(dir, txnDir), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(filepath.Join(dir, txnDir, name), 0o600); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			r := lockedRoot(t, dir)
			done := make(chan error, 1)
			go func() {
				_, err := r.Recover(nil)
				done <- err
			}()
			select {
			case err := <-done:
				if name == "journal" && err == nil {
					t.Error("recovery from a FIFO as its journal succeeded")
				}
				if name == "op" && err != nil {
					t.Errorf("recovery of a change staged only: %v", err)
				}
			case <-time.After(10 * time.Second):
				// Unblock the open, so the test ends.
				if f, err := os.OpenFile(filepath.Join(dir, txnDir, name), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
				t.Fatalf("recovery hangs on a FIFO at %s/%s", txnDir, name)
			}
		})
	}
}

// lockedRoot opens dir as a Root and takes its lock, as a run of scaffold
// does before anything else, for the rest of the test.
func lockedRoot(t *testing.T, dir string) *Root {
	t.Helper()
	r, err := OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.Lock(); err != nil {
		t.Fatal(err)
	}
	return r
}
