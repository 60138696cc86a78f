package filetree

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
)

// TestStagedGit: a .git made in the staging tree of an existing empty
// target goes into place only after the journal's commit point, by the
// run or by the recovery that finds the change finished; a kill before
// leaves no .git at all.
func TestStagedGit(t *testing.T) {
	for n := 1; ; n++ {
		target := t.TempDir()
		w, err := Create(target, Tree{"a.txt": []byte("a\n")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		write(t, w.Dir(), map[string]string{".git/HEAD": "-rw-r--r-- ref: refs/heads/main\n"})
		fired := crashAt(t, n)
		err = run(w.Commit)
		at, crashed := fired()
		FailPoint = nil
		if crashed {
			// The process is gone, and with it its lock.
			w.close()
			// The next run's recovery.
			r, err := OpenRoot(target)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Lock(); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Recover(nil); err != nil {
				t.Fatalf("crash at %s (%d): recovery: %v", at, n, err)
			}
			r.Close()
		} else if err != nil {
			t.Fatal(err)
		}
		got := snapshot(t, target)
		want := map[string]string{"a.txt": "-rw-r--r-- a\n", ".git/HEAD": "-rw-r--r-- ref: refs/heads/main\n"}
		if len(got) != 0 && !maps.Equal(got, want) {
			t.Fatalf("crash at %s (%d): the target holds %v, want nothing or %v", at, n, got, want)
		}
		if (at == "committed" || at == "git") && !maps.Equal(got, want) {
			t.Fatalf("crash at %s, after the commit point: the recovery left %v, want %v", at, got, want)
		}
		if !crashed {
			if !maps.Equal(got, want) {
				t.Fatalf("the finished run left %v", got)
			}
			if n < 4 {
				t.Fatalf("%d fail points", n-1)
			}
			return
		}
	}
}

// TestPlantedGit: a finished change left in a repository never puts a
// .git in place of one there, nor one an upgrade's journal names.
func TestPlantedGit(t *testing.T) {
	for _, tc := range []struct {
		name, journal string
		files         map[string]string
	}{
		{"existing .git", `{"op":"new","git":true,"steps":[]}`, map[string]string{".git/HEAD": "-rw-r--r-- mine\n"}},
		{"upgrade", `{"op":"upgrade","git":true,"steps":[]}`, map[string]string{"Makefile": "-rw-r--r-- mine\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tc.files)
			write(t, dir, map[string]string{
				doneDir + "/journal":        "-rw-r--r-- " + tc.journal,
				doneDir + "/tree/.git/HEAD": "-rw-r--r-- planted\n",
			})
			r := lockedRoot(t, dir)
			if _, err := r.Recover(nil); err != nil {
				t.Fatal(err)
			}
			if got := snapshot(t, dir); !maps.Equal(got, tc.files) {
				t.Errorf("after recovery: %v, want %v", got, tc.files)
			}
		})
	}
}

// TestTargetHoldingGit: a directory holding only a .git directory is a
// target; its .git is reported and left alone. Anything more, or a .git
// that is a file or a link, is not.
func TestTargetHoldingGit(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{".git/HEAD": "-rw-r--r-- ref\n"})
	w, err := Create(dir, Tree{"a.txt": []byte("a\n")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Repository() {
		t.Error("Repository() = false for a directory holding .git")
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{".git/HEAD": "-rw-r--r-- ref\n", "a.txt": "-rw-r--r-- a\n"}
	if got := snapshot(t, dir); !maps.Equal(got, want) {
		t.Errorf("target holds %v, want %v", got, want)
	}

	file := t.TempDir()
	write(t, file, map[string]string{".git": "-rw-r--r-- gitdir: elsewhere\n"})
	link := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, ".git"), filepath.Join(link, ".git")); err != nil {
		t.Fatal(err)
	}
	more := t.TempDir()
	write(t, more, map[string]string{".git/HEAD": "-rw-r--r-- ref\n", "notes": "-rw-r--r-- n\n"})
	for _, d := range []string{file, link, more} {
		if err := CheckTarget(d); err == nil {
			t.Errorf("CheckTarget(%s) accepted %v", d, snapshot(t, d))
		}
	}
}
