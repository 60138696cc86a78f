package lock

import (
	"bytes"
	"path/filepath"
	"slices"
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
	_, back := roundTrip(t, testLock(t))
	if string(back.Files["Makefile"]) != "build:\n\tgo build\n" {
		t.Errorf("Makefile = %q", back.Files["Makefile"])
	}
}

// roundTrip writes l, reads it back and writes that again, and expects
// the same bytes both times.
func roundTrip(t *testing.T, l *Lock) ([]byte, *Lock) {
	t.Helper()
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
	return data, back
}

// TestEmptyChoices reads a lock that lists its hooks and handlers as
// empty lists, as a hand-written or older lock may: they read as none,
// which is how they are written back, so the answers survive the trip.
func TestEmptyChoices(t *testing.T) {
	data, err := testLock(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"version": "v0.1.0",`), []byte(`"version": "v0.1.0", "hooks": [], "handlers": [],`), 1)
	i, j, ok := digestValue(data)
	if !ok {
		t.Fatal("no digest field")
	}
	data = slices.Concat(data[:i], []byte(contentDigest(data, i, j)), data[j:])
	l, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if l.Answers.Hooks != nil || l.Answers.Handlers != nil {
		t.Errorf("empty lists read as hooks %#v, handlers %#v; want none", l.Answers.Hooks, l.Answers.Handlers)
	}
	roundTrip(t, l)
}

func TestTamperedLock(t *testing.T) {
	data, err := testLock(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	i, j, ok := digestValue(data)
	if !ok {
		t.Fatal("no digest in the lock")
	}
	noDigest := slices.Concat(data[:i], data[j:])
	// resealed is an edit whose author also recomputed the digest.
	resealed := func(b []byte) []byte {
		i, j, _ := digestValue(b)
		out, err := seal(slices.Concat(b[:i], b[j:]))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	editedGo := bytes.Replace(data, []byte(`"go": "go1.26.8"`), []byte(`"go": "go1.26.7"`), 1)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"manifest edited", editedGo, "the lock was truncated or edited"},
		{"file edited", bytes.Replace(data, []byte("\tgo build\n"), []byte("\tgo build ./...\n"), 1), "the lock was truncated or edited"},
		{"truncated", data[:len(data)/2], "the lock was truncated or edited"},
		{"last line cut", data[:len(data)-3], "the lock was truncated or edited"},
		{"no digest", bytes.Replace(data, []byte(`"digest": "`), []byte(`"digestx": "`), 1), "records no digest"},
		{"empty digest", noDigest, "the lock was truncated or edited"},
		{"manifest edited, resealed", resealed(editedGo), "the lock was edited"},
		{"lists .git, resealed", resealed(append(bytes.Clone(data), "-- .git/HEAD --\nref: refs/heads/main\n"...)), "inside .git"},
		{"lists .GIT, resealed", resealed(append(bytes.Clone(data), "-- sub/.GIT/config --\n[core]\n"...)), "inside .git"},
		{"lists ../x, resealed", resealed(append(bytes.Clone(data), "-- ../x --\nx\n"...)), "is not a relative path inside the repository"},
		{"lists a/./b, resealed", resealed(append(bytes.Clone(data), "-- a/./b --\nx\n"...)), "is not a relative path inside the repository"},
		{"lists the journal, resealed", resealed(append(bytes.Clone(data), "-- .scaffold-txn/x --\nx\n"...)), "scaffold's own journal"},
		{"garbage", []byte("not a lock\n"), "records no digest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if bytes.Equal(tc.data, data) {
				t.Fatal("test did not change the lock")
			}
			if _, err := Parse(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse: %v, want an error saying %q", err, tc.want)
			}
		})
	}
	if _, err := Parse(data); err != nil {
		t.Errorf("Parse of the intact lock: %v", err)
	}
}

func TestUnstorableFile(t *testing.T) {
	for _, content := range []string{"-- y --\n", "a\n-- y --\r\nb\n", "no newline"} {
		l := testLock(t)
		l.Files["x"] = []byte(content)
		if _, err := l.Marshal(); err == nil {
			t.Errorf("Marshal stored a file holding %q, which does not read back as it", content)
		}
	}
	// Lines that look like a marker but are not one are stored, and read
	// back as they were.
	l := testLock(t)
	l.Files["x"] = []byte("-- --\n--  y\n")
	roundTrip(t, l)
}

// TestShortMarker reads a lock whose last line is "-- --", too short to
// be a file marker: an error or a lock, never a panic (an earlier txtar
// reader sliced past its end there).
func TestShortMarker(t *testing.T) {
	data := []byte("\"digest\": \"\"\n-- --")
	i, j, _ := digestValue(data)
	data = slices.Concat(data[:i], []byte(contentDigest(data, i, j)), data[j:])
	if _, err := Parse(data); err == nil {
		t.Error("Parse accepted a lock with no format")
	}
}

// TestRequires: the plugin's own requirements survive a round trip as
// path@version, and a lock whose requirement is no module version is
// refused, naming it, as is any other damaged field.
func TestRequires(t *testing.T) {
	l := testLock(t)
	l.Answers.Requires = []string{"example.com/own@v1.2.3"}
	_, back := roundTrip(t, l)
	reqs, err := back.Answers.Requirements()
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Path != "example.com/own" || reqs[0].Version != "v1.2.3" {
		t.Errorf("requirements %v, want example.com/own v1.2.3", reqs)
	}

	for _, tc := range []struct{ req, err string }{
		{"example.com/own", `answers.requires[0]: "example.com/own" is not path@version`},
		{"example.com/own@latest", `answers.requires[0]: example.com/own@latest: invalid version`},
		{"Example.com/own@v1.0.0", `answers.requires[0]: malformed module path "Example.com/own"`},
	} {
		l.Answers.Requires = []string{tc.req}
		data, err := l.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("requires %q: got error %v, want %q", tc.req, err, tc.err)
		}
	}
}

// TestSettings records the manifest's settings and refuses a lock whose
// settings are not its manifest's; a lock from before settings were
// recorded takes its manifest's.
func TestSettings(t *testing.T) {
	l := testLock(t)
	l.Settings = l.Manifest.Settings()
	_, back := roundTrip(t, l)
	if !slices.Equal(back.AcceptedSettings(), l.Manifest.Settings()) || len(back.Settings) == 0 {
		t.Errorf("settings read back as %v, want %v", back.Settings, l.Manifest.Settings())
	}
	l.Settings = nil
	_, back = roundTrip(t, l)
	if back.Settings != nil || !slices.Equal(back.AcceptedSettings(), l.Manifest.Settings()) {
		t.Errorf("a lock without settings: %v, accepted %v, want its manifest's", back.Settings, back.AcceptedSettings())
	}
	l.Settings = []manifest.Setting{{Field: "proxy.goproxy", Value: "https://proxy.example.com"}}
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), "its settings are not its manifest's") {
		t.Errorf("a lock with settings its manifest does not give: got %v", err)
	}
}
