package lock

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// multiLock is testLock built for the example gateway's v0.9.0 and
// v1.0.0, with v0.8.0 dropped.
func multiLock(t *testing.T) *Lock {
	l := testLock(t)
	old, err := manifest.Load(filepath.Join("..", "..", "examples", "gateway", "releases", "v0.9.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	l.Targets = []Target{
		{ManifestDigest: old.Digest(), Settings: old.Settings(), Since: "v0.1.0", Manifest: old},
		{ManifestDigest: l.ManifestDigest, Settings: l.Manifest.Settings(), Since: "v0.1.0", Manifest: l.Manifest},
	}
	l.Dropped = []Dropped{{Version: "v0.8.0", Go: "go1.26.6", Since: "v0.1.0", Until: "v0.2.0"}}
	return l
}

func TestTargetsRoundTrip(t *testing.T) {
	_, back := roundTrip(t, multiLock(t))
	if !back.Multi() {
		t.Fatal("the targets were lost")
	}
	var got []string
	for _, m := range back.Releases() {
		got = append(got, m.Host.Version)
	}
	if strings.Join(got, " ") != "v0.9.0 v1.0.0" {
		t.Errorf("releases %q, want v0.9.0 v1.0.0", got)
	}
	if back.Target("v0.9.0") == nil || back.Target("v0.8.0") != nil {
		t.Error("Target finds the wrong releases")
	}
	if testLock(t).Multi() || len(testLock(t).Releases()) != 1 {
		t.Error("a lock without targets is built for several releases")
	}
}

// TestTargetsRefused reads locks whose targets no scaffold writes: each
// is refused, naming the field.
func TestTargetsRefused(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*Lock)
		want string
	}{
		{"out of order", func(l *Lock) { l.Targets[0], l.Targets[1] = l.Targets[1], l.Targets[0] }, "targets[1]: gateway v0.9.0 is not newer"},
		{"newest is not the manifest", func(l *Lock) { l.Targets = l.Targets[:1] }, "targets: the newest is gateway v0.9.0"},
		{"digest", func(l *Lock) { l.Targets[0].ManifestDigest = "sha256:00" }, "targets[0]: the manifest's digest"},
		{"no version", func(l *Lock) { l.Targets[0].Since = "later" }, `targets[0]: since: "later"`},
		{"another host", func(l *Lock) {
			m := *l.Targets[0].Manifest
			m.Host.Name = "relay"
			l.Targets[0].Manifest, l.Targets[0].ManifestDigest, l.Targets[0].Settings = &m, m.Digest(), m.Settings()
		}, "is not a release of gateway"},
		{"dropped without targets", func(l *Lock) { l.Targets = nil }, "dropped: a lock without targets"},
		{"dropped version", func(l *Lock) { l.Dropped[0].Version = "v1;rm" }, "dropped[0].version"},
	} {
		l := multiLock(t)
		tt.edit(l)
		data, err := l.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

// TestTargetAcceptedSettings reads a target's settings back: those it
// records, or its manifest's in one that records none.
func TestTargetAcceptedSettings(t *testing.T) {
	l := multiLock(t)
	l.Targets[0].Settings = nil
	_, back := roundTrip(t, l)
	for i, tg := range back.Targets {
		want := l.Targets[i].Manifest.Settings()
		if len(want) == 0 {
			t.Fatalf("targets[%d]: the example manifest has no settings to read back", i)
		}
		if got := tg.AcceptedSettings(); !slices.Equal(got, want) {
			t.Errorf("targets[%d]: accepted settings %v, want its manifest's %v", i, got, want)
		}
	}
	if back.Targets[0].Settings != nil {
		t.Errorf("a target recording no settings read back with %v", back.Targets[0].Settings)
	}
}
