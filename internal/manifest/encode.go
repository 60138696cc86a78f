package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Marshal encodes m as YAML, or as JSON when name ends in ".json". Fields
// come out in a fixed order, so equal manifests encode to equal bytes.
func Marshal(name string, m *Manifest) ([]byte, error) {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		data, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("encoding manifest: %w", err)
		}
		return append(data, '\n'), nil
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encoding manifest: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// Digest is a hash of m's content, the same whichever format m was read
// from.
func (m *Manifest) Digest() string {
	return digest(m.compactJSON())
}

// HasDigest tells whether d is m's digest, or the one scaffold recorded
// for m before a contract without imports was written as an empty list:
// then it wrote null in JSON, so a lock made from such a manifest records
// that digest, and refusing it would call an untouched lock edited.
func (m *Manifest) HasDigest(d string) bool {
	if d == m.Digest() {
		return true
	}
	if len(m.Contract.Imports) > 0 {
		return false
	}
	// The contract's imports are the only field of a manifest named
	// "imports", and a quote inside a JSON string is escaped, so the
	// key appears once.
	null := bytes.Replace(m.compactJSON(), []byte(`"imports":[]`), []byte(`"imports":null`), 1)
	return d == digest(null)
}

func (m *Manifest) compactJSON() []byte {
	data, err := json.Marshal(m)
	if err != nil {
		panic(err) // a Manifest holds only strings, bools, ints and slices of them
	}
	return data
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// MarshalJSON writes a contract without imports with an empty list, as
// YAML does, never null: a manifest gives the same bytes and the same
// [Manifest.Digest] whether its contract was read from JSON, from YAML or
// built in memory, where no imports may be a nil or an empty slice.
func (k Contract) MarshalJSON() ([]byte, error) {
	type plain Contract // without this method
	p := plain(k)
	if p.Imports == nil {
		p.Imports = []Import{}
	}
	return json.Marshal(p)
}
