package filetree

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// snapshot reads dir with every file's permissions, hidden files
// included, so that a leftover temporary file is seen.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree, err := Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for p, data := range tree {
		fi, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		out[p] = fi.Mode().Perm().String() + " " + string(data)
	}
	return out
}

func TestApply(t *testing.T) {
	dir := t.TempDir()
	if err := (Tree{"keep": []byte("k\n"), "change": []byte("old\n"), "gone": []byte("g\n"), "run": []byte("#!/bin/sh\n")}).WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "run"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := Apply(dir, map[string][]byte{
		"change":      []byte("new\n"),
		"gone":        nil,
		"run":         []byte("#!/bin/sh\necho\n"),
		"sub/dir/new": []byte("n\n"),
		"lock":        []byte("l\n"),
	}, "lock")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"keep":        "-rw-r--r-- k\n",
		"change":      "-rw-r--r-- new\n",
		"run":         "-rwxr-xr-x #!/bin/sh\necho\n",
		"sub/dir/new": "-rw-r--r-- n\n",
		"lock":        "-rw-r--r-- l\n",
	}
	if got := snapshot(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("after Apply:\n got %q\nwant %q", got, want)
	}
}

// TestApplyUndo makes the last step fail, after the others have been
// renamed into place, and expects the directory as it was.
func TestApplyUndo(t *testing.T) {
	dir := t.TempDir()
	if err := (Tree{"a": []byte("a\n"), "b": []byte("b\n"), "zz/x": []byte("x\n")}).WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	// Removing the directory zz fails: a directory cannot be moved onto
	// the file that reserves its place.
	err := Apply(dir, map[string][]byte{"a": []byte("A\n"), "b": nil, "new/c": []byte("c\n"), "zz": nil}, "")
	if err == nil {
		t.Fatal("Apply removed a directory")
	}
	if got := snapshot(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after a failed Apply:\n got %q\nwant %q", got, before)
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); !os.IsNotExist(err) {
		t.Errorf("the directory made for new/c is still there: %v", err)
	}
	// A target that is a directory is refused before anything is renamed.
	if err := Apply(dir, map[string][]byte{"a": []byte("A\n"), "zz": []byte("f\n")}, ""); err == nil {
		t.Fatal("Apply wrote a file over a directory")
	}
	if got := snapshot(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after a refused Apply:\n got %q\nwant %q", got, before)
	}
}
