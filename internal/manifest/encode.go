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
	data, err := json.Marshal(m)
	if err != nil {
		panic(err) // a Manifest holds only strings, bools, ints and slices of them
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
