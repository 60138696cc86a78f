package hooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestGoTextChecked puts text that must not reach generated code in each
// field of each example contract that [manifest.Contract.GoTexts] lists,
// and expects both the manifest's validation and the generator to refuse
// it, naming the field: the two read one list of fields.
func TestGoTextChecked(t *testing.T) {
	// Each holds a Cyrillic "е" among Latin letters, or a bidirectional
	// control.
	bad := map[manifest.TextKind]string{
		manifest.TextIdent:      "Rеquest",
		manifest.TextType:       "*Rеquest",
		manifest.TextStatements: "_ = Rеquest",
		manifest.TextDoc:        "safe\u202e",
	}
	files, err := examplefiles.Manifests()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[manifest.TextKind]bool{}
	for _, file := range files {
		m, err := manifest.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, gt := range m.Contract.GoTexts() {
			kinds[gt.Kind] = true
			t.Run(filepath.Base(file)+"/"+gt.Path, func(t *testing.T) {
				m, err := manifest.Load(file)
				if err != nil {
					t.Fatal(err)
				}
				*m.Contract.GoTexts()[i].Text = bad[gt.Kind]
				if _, err := canonical(&m.Contract); err == nil || !strings.HasPrefix(err.Error(), gt.Path+": ") {
					t.Errorf("canonical: got %v, want an error naming %s", err, gt.Path)
				}
				var ps *manifest.Problems
				if err := m.Validate(); !errors.As(err, &ps) || !slices.ContainsFunc(ps.List, func(p manifest.Problem) bool { return p.Path == gt.Path }) {
					t.Errorf("Validate: got %v, want a problem with %s", err, gt.Path)
				}
			})
		}
	}
	for kind := range bad {
		if !kinds[kind] {
			t.Errorf("no example contract has text of kind %d", kind)
		}
	}
}

// TestCanonicalLeavesInput reprints text padded with spaces in every
// field GoTexts lists and expects the contract passed in unchanged: the
// copy canonical makes must hold every field it rewrites.
func TestCanonicalLeavesInput(t *testing.T) {
	files, err := examplefiles.Manifests()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		m, err := manifest.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, gt := range m.Contract.GoTexts() {
			if *gt.Text != "" && (gt.Kind == manifest.TextType || gt.Kind == manifest.TextStatements) {
				*gt.Text = " " + *gt.Text + " "
			}
		}
		before, err := json.Marshal(&m.Contract)
		if err != nil {
			t.Fatal(err)
		}
		c, err := canonical(&m.Contract)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		after, err := json.Marshal(&m.Contract)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("%s: canonical changed the contract passed in:\n%s\nwas\n%s", file, after, before)
		}
		for _, gt := range c.GoTexts() {
			if strings.HasPrefix(*gt.Text, " ") {
				t.Errorf("%s: %s = %q, not reprinted", file, gt.Path, *gt.Text)
			}
		}
	}
}
