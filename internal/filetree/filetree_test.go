package filetree

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStageCommit(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "repo")
	tree := Tree{"a.txt": []byte("a\n"), "sub/b.txt": []byte("b\n")}
	w, err := Create(target, tree, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("target exists before Commit: %v", err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := Read(target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Paths(), ",") != "a.txt,sub/b.txt" || string(got["sub/b.txt"]) != "b\n" {
		t.Errorf("committed tree = %v, want %v", got, tree)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("parent holds %v, want only the repository", entries)
	}
}

func TestCommitIntoEmptyDir(t *testing.T) {
	target := t.TempDir()
	w, err := Create(target, Tree{"a.txt": []byte("a\n")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := w.Dir()
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(target, "a.txt")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("staging directory %s left behind", dir)
	}
	if entries, _ := os.ReadDir(target); len(entries) != 1 {
		t.Errorf("target holds %v, want a.txt alone", entries)
	}
}

func TestStageRefuses(t *testing.T) {
	parent := t.TempDir()
	full := filepath.Join(parent, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "keep"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(full, Tree{"a": nil}, nil); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("Create into a non-empty directory: %v, want an error", err)
	}
	for _, bad := range []string{"../escape", "/abs", "a/../../b", ""} {
		if _, err := Create(filepath.Join(parent, "new"), Tree{bad: []byte("x")}, nil); err == nil {
			t.Errorf("Create with path %q succeeded", bad)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("after refused stages, %s holds %v, want only full/", parent, entries)
	}
}

// TestBusy starts a second write while a first holds its directory, into
// a target that does not exist (staged beside it) and into an empty one
// (staged inside): each is refused with one message, and nothing of the
// first is touched.
func TestBusy(t *testing.T) {
	const busy = "another scaffold is writing in it; run again when it has finished"
	defer func(w time.Duration) { busyWait = w }(busyWait)
	busyWait = 50 * time.Millisecond
	for _, exists := range []bool{false, true} {
		target := filepath.Join(t.TempDir(), "repo")
		if exists {
			if err := os.Mkdir(target, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		first, err := Create(target, Tree{"a.txt": []byte("a\n")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var second error
		if exists {
			// A second Create sees the first's journal and calls the
			// directory not empty; a recovery locks first.
			r, err := OpenRoot(target)
			if err != nil {
				t.Fatal(err)
			}
			second = r.Lock()
			r.Close()
		} else {
			_, second = Create(target, Tree{"b.txt": []byte("b\n")}, nil)
		}
		if second == nil || !strings.Contains(second.Error(), busy) {
			t.Errorf("target exists %v: second write: got %v, want an error saying %q", exists, second, busy)
		}
		if err := first.Commit(); err != nil {
			t.Fatalf("target exists %v: the first write, after the second was refused: %v", exists, err)
		}
		got, err := Read(target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.Paths(), ",") != "a.txt" {
			t.Errorf("target exists %v: committed %v, want a.txt alone", exists, got.Paths())
		}
	}
}

// TestBusyBriefly holds a directory's lock a moment, as the child of a
// killed scaffold does until it has exited: a run started meanwhile waits
// for it rather than calling the directory busy. One held past the wait
// is busy.
func TestBusyBriefly(t *testing.T) {
	dir := t.TempDir()
	holder, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if err := syscall.Flock(int(holder.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(100*time.Millisecond, func() { _ = syscall.Flock(int(holder.Fd()), syscall.LOCK_UN) })
	f, err := lockDir(dir, "repo")
	if err != nil {
		t.Fatalf("a lock released after 100 ms: %v", err)
	}
	// Now this one holds it, past a shortened wait.
	defer func(w time.Duration) { busyWait = w }(busyWait)
	busyWait = 50 * time.Millisecond
	if _, err := lockDir(dir, "repo"); err == nil || !strings.Contains(err.Error(), "repo: another scaffold is writing in it") {
		t.Errorf("a lock held past the wait: got %v, want the directory called busy", err)
	}
	f.Close()
}
