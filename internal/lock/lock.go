// Package lock reads and writes scaffold.lock, the record a generated plugin
// repository keeps of its own generation: the host manifest it was made
// from, the answers given, the template version, and the files exactly as
// generated. The files are the common base of a later upgrade's three-way
// merge, so an upgrade never needs the scaffold release that made them.
package lock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"

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
}

// A Lock is the content of scaffold.lock.
type Lock struct {
	Format          string             `json:"format"`
	TemplateVersion string             `json:"templateVersion"`
	ManifestDigest  string             `json:"manifestDigest"`
	Answers         Answers            `json:"answers"`
	Manifest        *manifest.Manifest `json:"manifest"`
	// Files are the generated files, by slash-separated path.
	Files map[string][]byte `json:"-"`
}

// Marshal encodes l as a txtar archive whose comment is the lock's JSON
// and whose files are the generated files, sorted by path.
func (l *Lock) Marshal() ([]byte, error) {
	head, err := json.MarshalIndent(l, "", "  ")
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
	return txtar.Format(ar), nil
}

// checkStorable refuses content a txtar archive would not give back
// byte for byte.
func checkStorable(data []byte) error {
	if len(data) > 0 && data[len(data)-1] != '\n' {
		return fmt.Errorf("does not end in a newline")
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("-- ")) && bytes.HasSuffix(line, []byte(" --")) {
			return fmt.Errorf("holds a line that reads as a txtar file marker: %q", line)
		}
	}
	return nil
}

// Parse decodes a lock file.
func Parse(data []byte) (*Lock, error) {
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
	if got := l.Manifest.Digest(); got != l.ManifestDigest {
		return nil, fmt.Errorf("reading %s: the manifest's digest is %s, but the lock records %s: the lock was edited", FileName, got, l.ManifestDigest)
	}
	l.Files = map[string][]byte{}
	for _, f := range ar.Files {
		if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") {
			return nil, fmt.Errorf("reading %s: file name %q leaves the repository", FileName, f.Name)
		}
		l.Files[f.Name] = f.Data
	}
	return &l, nil
}

// Read reads the lock file at path.
func Read(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}
