// Package lock reads and writes scaffold.lock, the record a generated plugin
// repository keeps of its own generation: the host manifest it was made
// from, the answers given, the template version, and the files exactly as
// generated. The files are the common base of a later upgrade's three-way
// merge, so an upgrade never needs the scaffold release that made them.
package lock

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/tools/txtar"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// FileName is the lock file's name in a generated repository.
const FileName = "scaffold.lock"

// Format identifies the lock file format.
const Format = "scaffold.lock/v1"

// Answers are the choices a plugin was generated with.
type Answers struct {
	Name    string   `json:"name"`
	Module  string   `json:"module"`
	Version string   `json:"version"`
	Libc    []string `json:"libc"`
	// Hooks are the optional symbols chosen, for a symbol-set contract.
	Hooks []string `json:"hooks,omitempty"`
	// Handlers are the handlers' names, for a handlers contract.
	Handlers []string `json:"handlers,omitempty"`
	// Requires are the plugin's own requirements, as path@version: the
	// --require answers of scaffold new and, after an upgrade, the
	// requirements the author added to go.mod. An upgrade keeps them as
	// they are; every other requirement of the generated go.mod is
	// scaffold's, recomputed for each release. A lock from before this
	// field records none, and an upgrade then takes the author's own to
	// be the direct requirements go.mod has and the generation did not.
	Requires []string `json:"requires,omitempty"`
	// License is the SPDX identifier of the license LICENSE gives the
	// plugin; empty for none.
	License string `json:"license,omitempty"`
}

// Requirements returns the plugin's own requirements, each checked as a
// module path and version.
func (a *Answers) Requirements() ([]module.Version, error) {
	var out []module.Version
	for i, r := range a.Requires {
		path, version, ok := strings.Cut(r, "@")
		if !ok {
			return nil, fmt.Errorf("answers.requires[%d]: %q is not path@version", i, r)
		}
		if err := module.Check(path, version); err != nil {
			return nil, fmt.Errorf("answers.requires[%d]: %w", i, err)
		}
		out = append(out, module.Version{Path: path, Version: version})
	}
	return out, nil
}

// RequiresOf writes requirements as [Answers.Requires] holds them, sorted
// by path.
func RequiresOf(reqs []module.Version) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Path+"@"+r.Version)
	}
	sort.Strings(out)
	return out
}

// A Lock is the content of scaffold.lock.
type Lock struct {
	Format string `json:"format"`
	// Digest is the SHA-256 of the whole lock file with this field's
	// value left empty: a lock truncated, or edited by hand, no longer
	// matches it, and is refused. Marshal sets it.
	Digest          string `json:"digest"`
	TemplateVersion string `json:"templateVersion"`
	ManifestDigest  string `json:"manifestDigest"`
	// ManifestSource is the https URL the manifest was fetched from, with
	// the digest of what was fetched (URL#sha256=HEX); empty for a file.
	ManifestSource string `json:"manifestSource,omitempty"`
	// Settings are the manifest's settings that decide where modules
	// come from, which are verified and how code compiles, as the author
	// took them: scaffold new shows them, and scaffold upgrade applies a
	// change to them only when the author accepts it.
	Settings []manifest.Setting `json:"settings,omitempty"`
	Answers  Answers            `json:"answers"`
	Manifest *manifest.Manifest `json:"manifest"`
	// Targets are the host releases the plugin is built for, oldest
	// first, in a repository built for several (see package target): the
	// last is the newest, the one Manifest and the fields above describe.
	// A repository built for one release, as scaffold new makes it from
	// one manifest, has none; one that was built for several keeps the
	// list, down to one release.
	Targets []Target `json:"targets,omitempty"`
	// Dropped are the host releases the plugin was built for and no
	// longer is, oldest first, for the version matrix of its docs.
	Dropped []Dropped `json:"dropped,omitempty"`
	// Files are the generated files, by slash-separated path.
	Files map[string][]byte `json:"-"`
}

// A Target is a host release the plugin is built for.
type Target struct {
	ManifestDigest string `json:"manifestDigest"`
	// ManifestSource is the https URL the manifest was fetched from, with
	// the digest of what was fetched; empty for a file.
	ManifestSource string `json:"manifestSource,omitempty"`
	// Settings are the manifest's settings the author took with it.
	Settings []manifest.Setting `json:"settings,omitempty"`
	// Since is the plugin version from which the plugin is built for the
	// release.
	Since    string             `json:"since"`
	Manifest *manifest.Manifest `json:"manifest"`
}

// A Dropped release is one the plugin was built for, from plugin version
// Since, and is no longer, from plugin version Until.
type Dropped struct {
	Version string `json:"version"`
	Go      string `json:"go"`
	Since   string `json:"since"`
	Until   string `json:"until"`
}

// Multi tells whether the repository is built for several host
// releases, or was: its Go files are then the author's alone, and its
// modules are per release.
func (l *Lock) Multi() bool { return l.Targets != nil }

// Releases are the manifests of the host releases the plugin is built
// for, oldest first.
func (l *Lock) Releases() []*manifest.Manifest {
	if !l.Multi() {
		return []*manifest.Manifest{l.Manifest}
	}
	var out []*manifest.Manifest
	for _, t := range l.Targets {
		out = append(out, t.Manifest)
	}
	return out
}

// Target returns the recorded release of version v, or nil.
func (l *Lock) Target(v string) *Target {
	for i := range l.Targets {
		if l.Targets[i].Manifest.Host.Version == v {
			return &l.Targets[i]
		}
	}
	return nil
}

// AcceptedSettings are the settings the author took with the lock's
// generation: those it records, or its manifest's in a lock from before
// they were recorded.
func (l *Lock) AcceptedSettings() []manifest.Setting {
	if l.Settings != nil {
		return l.Settings
	}
	return l.Manifest.Settings()
}

// AcceptedSettings are the settings the author took with the release:
// those the target records, or its manifest's where it records none.
func (t *Target) AcceptedSettings() []manifest.Setting {
	if t.Settings != nil {
		return t.Settings
	}
	return t.Manifest.Settings()
}

// Marshal encodes l as a txtar archive whose comment is the lock's JSON
// and whose files are the generated files, sorted by path.
func (l *Lock) Marshal() ([]byte, error) {
	sealed := *l
	sealed.Digest = ""
	head, err := json.MarshalIndent(&sealed, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", FileName, err)
	}
	ar := &txtar.Archive{Comment: append(head, '\n')}
	paths := make([]string, 0, len(l.Files))
	for p := range l.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		data := l.Files[p]
		if err := checkStorable(data); err != nil {
			return nil, fmt.Errorf("encoding %s: %s: %w", FileName, p, err)
		}
		ar.Files = append(ar.Files, txtar.File{Name: p, Data: data})
	}
	return seal(txtar.Format(ar))
}

// digestKey starts the digest field in the lock's JSON head. It is the
// head's second field, after the format, so its first occurrence is the
// lock's own: any other quote in the head is escaped.
var digestKey = []byte(`"digest": "`)

// digestValue finds the value of the digest field in data: data[i:j].
func digestValue(data []byte) (i, j int, ok bool) {
	head := data
	if k := bytes.Index(data, []byte("\n-- ")); k >= 0 {
		head = data[:k]
	}
	i = bytes.Index(head, digestKey)
	if i < 0 {
		return 0, 0, false
	}
	i += len(digestKey)
	n := bytes.IndexByte(head[i:], '"')
	if n < 0 {
		return 0, 0, false
	}
	return i, i + n, true
}

// contentDigest is the digest of data with the digest value [i:j] taken
// out.
func contentDigest(data []byte, i, j int) string {
	h := sha256.New()
	h.Write(data[:i])
	h.Write(data[j:])
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// seal fills in the digest of a lock marshaled with an empty one.
func seal(data []byte) ([]byte, error) {
	i, j, ok := digestValue(data)
	if !ok || i != j {
		return nil, fmt.Errorf("encoding %s: no empty digest field", FileName)
	}
	d := contentDigest(data, i, j)
	return slices.Concat(data[:i], []byte(d), data[j:]), nil
}

// checkDigest refuses a lock whose content does not match its digest.
func checkDigest(data []byte) error {
	i, j, ok := digestValue(data)
	if !ok {
		return fmt.Errorf("reading %s: it records no digest of its content: it was edited, or written by a scaffold older than this one; restore it from version control", FileName)
	}
	if got, want := contentDigest(data, i, j), string(data[i:j]); got != want {
		return fmt.Errorf("reading %s: its content's digest is %s, but it records %s: the lock was truncated or edited", FileName, got, want)
	}
	return nil
}

// checkStorable refuses content a txtar archive would not give back
// byte for byte: content not ending in a newline, and a line the reader
// takes for a file marker, "-- NAME --" with or without a carriage
// return before its newline.
func checkStorable(data []byte) error {
	if len(data) > 0 && data[len(data)-1] != '\n' {
		return fmt.Errorf("does not end in a newline")
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		marker := bytes.TrimSuffix(line, []byte("\r"))
		if len(marker) >= len("-- ")+len(" --") && bytes.HasPrefix(marker, []byte("-- ")) && bytes.HasSuffix(marker, []byte(" --")) {
			return fmt.Errorf("holds a line that reads as a txtar file marker: %q", line)
		}
	}
	return nil
}

// Parse decodes a lock file.
func Parse(data []byte) (*Lock, error) {
	if err := checkDigest(data); err != nil {
		return nil, err
	}
	ar := txtar.Parse(data)
	var l Lock
	dec := json.NewDecoder(bytes.NewReader(ar.Comment))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	if l.Format != Format {
		return nil, fmt.Errorf("reading %s: format %q is not %q", FileName, l.Format, Format)
	}
	if l.Manifest == nil {
		return nil, fmt.Errorf("reading %s: no manifest", FileName)
	}
	if err := l.Manifest.Validate(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	if !l.Manifest.HasDigest(l.ManifestDigest) {
		return nil, fmt.Errorf("reading %s: the manifest's digest is %s, but the lock records %s: the lock was edited", FileName, l.Manifest.Digest(), l.ManifestDigest)
	}
	if l.Settings != nil && !slices.Equal(l.Settings, l.Manifest.Settings()) {
		return nil, fmt.Errorf("reading %s: its settings are not its manifest's: the lock was edited", FileName)
	}
	// A lock from before manifests had one digest records the other form:
	// comparisons with a manifest read now see the same digest.
	l.ManifestDigest = l.Manifest.Digest()
	if err := l.checkTargets(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	// An empty list of hooks or handlers is written as none (omitempty):
	// read as none too, a lock written back reads as the same answers.
	if len(l.Answers.Hooks) == 0 {
		l.Answers.Hooks = nil
	}
	if len(l.Answers.Handlers) == 0 {
		l.Answers.Handlers = nil
	}
	if len(l.Answers.Requires) == 0 {
		l.Answers.Requires = nil
	}
	if _, err := l.Answers.Requirements(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", FileName, err)
	}
	l.Files = map[string][]byte{}
	for _, f := range ar.Files {
		// The files are an upgrade's merge base and written back through
		// filetree: a name it would refuse is refused here, by its rule.
		if err := filetree.CheckPath(f.Name); err != nil {
			return nil, fmt.Errorf("reading %s: file name: %w", FileName, err)
		}
		if _, dup := l.Files[f.Name]; dup {
			return nil, fmt.Errorf("reading %s: file %q is listed twice", FileName, f.Name)
		}
		l.Files[f.Name] = f.Data
	}
	return &l, nil
}

// checkTargets holds the targets to what a lock writes: each manifest
// valid, matching its digest and settings, the releases of one host in
// order, the newest the lock's own manifest; and the dropped releases to
// versions.
func (l *Lock) checkTargets() error {
	if l.Targets == nil {
		if l.Dropped != nil {
			return fmt.Errorf("dropped: a lock without targets records none")
		}
		return nil
	}
	if len(l.Targets) == 0 {
		return fmt.Errorf("targets: none")
	}
	for i := range l.Targets {
		t := &l.Targets[i]
		where := fmt.Sprintf("targets[%d]", i)
		if t.Manifest == nil {
			return fmt.Errorf("%s: no manifest", where)
		}
		if err := t.Manifest.Validate(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if !t.Manifest.HasDigest(t.ManifestDigest) {
			return fmt.Errorf("%s: the manifest's digest is %s, but the lock records %s: the lock was edited", where, t.Manifest.Digest(), t.ManifestDigest)
		}
		t.ManifestDigest = t.Manifest.Digest()
		if t.Settings != nil && !slices.Equal(t.Settings, t.Manifest.Settings()) {
			return fmt.Errorf("%s: its settings are not its manifest's: the lock was edited", where)
		}
		if !semver.IsValid(t.Since) {
			return fmt.Errorf("%s: since: %q is not a plugin version", where, t.Since)
		}
		if i > 0 && semver.Compare(l.Targets[i-1].Manifest.Host.Version, t.Manifest.Host.Version) >= 0 {
			return fmt.Errorf("%s: %s %s is not newer than the target before it", where, t.Manifest.Host.Name, t.Manifest.Host.Version)
		}
		if t.Manifest.Host.Name != l.Manifest.Host.Name || t.Manifest.Host.Module != l.Manifest.Host.Module {
			return fmt.Errorf("%s: %s %s is not a release of %s", where, t.Manifest.Host.Name, t.Manifest.Host.Version, l.Manifest.Host.Name)
		}
	}
	if last := l.Targets[len(l.Targets)-1]; last.ManifestDigest != l.ManifestDigest {
		return fmt.Errorf("targets: the newest is %s %s, not the lock's manifest", last.Manifest.Host.Name, last.Manifest.Host.Version)
	}
	for i, d := range l.Dropped {
		if err := manifest.CheckToken(d.Version); err != nil {
			return fmt.Errorf("dropped[%d].version: %w", i, err)
		}
		if err := manifest.CheckGoVersion(d.Go); err != nil {
			return fmt.Errorf("dropped[%d].go: %w", i, err)
		}
		if !semver.IsValid(d.Since) || !semver.IsValid(d.Until) {
			return fmt.Errorf("dropped[%d]: since %q and until %q must be plugin versions", i, d.Since, d.Until)
		}
	}
	return nil
}

// Read reads the lock file at path.
func Read(path string) (*Lock, error) {
	data, err := input.ReadFile(path, input.LockLimit)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}
