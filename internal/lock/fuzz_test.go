package lock

import (
	"bytes"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// FuzzParse feeds Parse mutations of a real lock, as read and once more
// with its digest recomputed, so that the checks behind the digest are
// reached too. Parse never panics; a lock it accepts lists no path that
// leaves the repository or enters .git, and writes back to a lock that
// reads the same.
func FuzzParse(f *testing.F) {
	m, err := manifest.Load(filepath.Join("..", "..", "examples", "gateway", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	l := &Lock{Format: Format, TemplateVersion: "1", ManifestDigest: m.Digest(), Manifest: m,
		Answers: Answers{Name: "p", Module: "example.com/p", Version: "v0.1.0", Libc: []string{"glibc"}},
		Files:   map[string][]byte{"Makefile": []byte("build:\n\tgo build\n"), "plugin.go": []byte("package main\n")}}
	data, err := l.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add(bytes.Replace(data, []byte("-- plugin.go --"), []byte("-- .git/HEAD --"), 1))
	f.Add(bytes.Replace(data, []byte("-- plugin.go --"), []byte("-- ../x --"), 1))
	f.Add([]byte(""))
	// Optional answers, empty and not, sealed so the fuzzer starts past
	// the digest check.
	for _, answers := range []string{`"hooks": [], "handlers": [],`, `"hooks": ["Stop"], "handlers": ["h"],`, `"hooks": null,`} {
		with := bytes.Replace(data, []byte(`"version": "v0.1.0",`), []byte(`"version": "v0.1.0", `+answers), 1)
		i, j, _ := digestValue(with)
		f.Add(slices.Concat(with[:i], []byte(contentDigest(with, i, j)), with[j:]))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data)
		if i, j, ok := digestValue(data); ok {
			check(t, slices.Concat(data[:i], []byte(contentDigest(data, i, j)), data[j:]))
		}
	})
}

func check(t *testing.T, data []byte) {
	l, err := Parse(data)
	if err != nil {
		if l != nil {
			t.Fatalf("Parse returned a lock and the error %v", err)
		}
		return
	}
	for name := range l.Files {
		if err := filetree.CheckPath(name); err != nil {
			t.Fatalf("Parse accepted the file name %q: %v", name, err)
		}
		// Held to the rule itself too, not only to the function Parse
		// calls: a hole in CheckPath shows here.
		for _, elem := range strings.Split(name, "/") {
			if elem == "" || elem == "." || elem == ".." || strings.EqualFold(elem, ".git") {
				t.Fatalf("Parse accepted the file name %q", name)
			}
		}
	}
	again, err := l.Marshal()
	if err != nil {
		return // content a txtar archive cannot hold byte for byte
	}
	back, err := Parse(again)
	if err != nil {
		t.Fatalf("a lock Parse accepted, written back, is refused: %v", err)
	}
	if !reflect.DeepEqual(back.Files, l.Files) || !reflect.DeepEqual(back.Answers, l.Answers) {
		t.Fatalf("a lock written back reads differently")
	}
	if twice, err := back.Marshal(); err != nil || !bytes.Equal(twice, again) {
		t.Fatalf("a lock written back, read and written again, changes: %v", err)
	}
}
