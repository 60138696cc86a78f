package lock

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

func testLock(t *testing.T) *Lock {
	m, err := manifest.Load(filepath.Join("..", "..", "examples", "gateway", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return &Lock{
		Format:          Format,
		TemplateVersion: "1",
		ManifestDigest:  m.Digest(),
		Answers:         Answers{Name: "p", Module: "example.com/p", Version: "v0.1.0", Libc: []string{"glibc"}},
		Manifest:        m,
		Files:           map[string][]byte{"Makefile": []byte("build:\n\tgo build\n"), "plugin.go": []byte("package main\n")},
	}
}

func TestRoundTrip(t *testing.T) {
	l := testLock(t)
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := back.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Errorf("lock does not survive a round trip:\n%s\n---\n%s", data, again)
	}
	if string(back.Files["Makefile"]) != "build:\n\tgo build\n" {
		t.Errorf("Makefile = %q", back.Files["Makefile"])
	}
}

func TestTamperedLock(t *testing.T) {
	data, err := testLock(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(data, []byte(`"go": "go1.26.8"`), []byte(`"go": "go1.26.7"`), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("test did not edit the lock")
	}
	if _, err := Parse(edited); err == nil || !strings.Contains(err.Error(), "the lock was edited") {
		t.Errorf("Parse of an edited lock: %v, want a digest error", err)
	}
	if _, err := Parse([]byte("not a lock\n")); err == nil {
		t.Error("Parse of garbage succeeded")
	}
}

func TestUnstorableFile(t *testing.T) {
	l := testLock(t)
	l.Files["x"] = []byte("-- y --\n")
	if _, err := l.Marshal(); err == nil {
		t.Error("Marshal stored a file holding a txtar marker")
	}
}
