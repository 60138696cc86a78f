package lock

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// noImportsLock is a lock of the sieve example without the symbol that
// names the SDK, so that its contract has no imports, held as nil: the
// way a contract read from a loader that names no package is built.
func noImportsLock(t *testing.T) *Lock {
	t.Helper()
	m, err := manifest.Load(filepath.Join("..", "..", "examples", "sieve", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m.Contract.Symbols = slices.DeleteFunc(m.Contract.Symbols, func(s manifest.Symbol) bool { return strings.Contains(s.Type, "sdk.") })
	m.Contract.Imports, m.Contract.Types = nil, nil
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	l := testLock(t)
	l.Manifest, l.ManifestDigest = m, m.Digest()
	return l
}

// TestNoImportsEverywhere takes a manifest whose contract has no imports
// through every writer and reader of manifests and locks: the manifest
// file in both formats, the lock made from what was read, the lock read
// back. Each gives the same manifest bytes and the same digest, so an
// upgrade to the very manifest a lock was made from sees no change.
func TestNoImportsEverywhere(t *testing.T) {
	l := noImportsLock(t)
	want := l.Manifest.Digest()
	data, back := roundTrip(t, l)
	if back.ManifestDigest != want || back.Manifest.Digest() != want {
		t.Errorf("lock read back: digests %s and %s, want %s", back.ManifestDigest, back.Manifest.Digest(), want)
	}
	for _, name := range []string{"m.yaml", "m.json"} {
		file, err := manifest.Marshal(name, l.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		fromLock, err := manifest.Marshal(name, back.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(file, fromLock) {
			t.Errorf("%s: the manifest read from the lock writes\n%s\nwant\n%s", name, fromLock, file)
		}
		read, err := manifest.Parse(name, file)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := read.Digest(); got != back.ManifestDigest {
			t.Errorf("%s: digest %s, but the lock records %s", name, got, back.ManifestDigest)
		}
		relock := *l
		relock.Manifest, relock.ManifestDigest = read, read.Digest()
		relocked, err := relock.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(relocked, data) {
			t.Errorf("%s: a lock made from the manifest read back differs:\n%s\n---\n%s", name, relocked, data)
		}
	}
}

// TestNoImportsNullLock reads a lock written when a contract without
// imports was encoded as null, with the digest of that encoding: it is
// not an edited lock, and reads as one with the digest used now.
func TestNoImportsNullLock(t *testing.T) {
	l := noImportsLock(t)
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data)
	head := bytes.Replace(ar.Comment, []byte(`"imports": []`), []byte(`"imports": null`), 1)
	var fields struct{ Manifest json.RawMessage }
	if err := json.Unmarshal(head, &fields); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, fields.Manifest); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(compact.Bytes())
	old := "sha256:" + hex.EncodeToString(sum[:])
	if old == l.ManifestDigest {
		t.Fatal("the two encodings have one digest: the test checks nothing")
	}
	head = bytes.Replace(head, []byte(l.ManifestDigest), []byte(old), 1)
	i, j, _ := digestValue(head)
	ar.Comment = slices.Concat(head[:i], head[j:])
	sealed, err := seal(txtar.Format(ar))
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(sealed)
	if err != nil {
		t.Fatalf("Parse of a lock with imports null: %v", err)
	}
	if back.ManifestDigest != l.ManifestDigest {
		t.Errorf("manifest digest %s, want %s", back.ManifestDigest, l.ManifestDigest)
	}
	// Another digest is still an edit.
	other := bytes.Replace(sealed, []byte(old), []byte("sha256:"+strings.Repeat("0", 64)), 1)
	i, j, _ = digestValue(other)
	if resealed, err := seal(slices.Concat(other[:i], other[j:])); err != nil {
		t.Fatal(err)
	} else if _, err := Parse(resealed); err == nil || !strings.Contains(err.Error(), "the lock was edited") {
		t.Errorf("Parse of a lock with another manifest digest: %v, want an edited lock", err)
	}
}
