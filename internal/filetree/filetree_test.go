package filetree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
