package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// TestHelloWorldExample regenerates examples/hello-world and fails on any
// difference, missing file or unexpected file.
func TestHelloWorldExample(t *testing.T) {
	out := filepath.Join(t.TempDir(), "hello-world")
	if _, err := Generate(context.Background(), helloWorld(t), out); err != nil {
		t.Fatal(err)
	}
	got, err := filetree.Read(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(world.Examples, "hello-world")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := got.WriteTo(golden); err != nil {
			t.Fatal(err)
		}
	}
	want, err := filetree.Read(golden, nil)
	if err != nil {
		t.Fatal(err)
	}
	testbed.CompareTrees(t, "examples/hello-world", want, "scaffold new", got)
}

// TestDeterministic generates twice from the same inputs, into different
// directories, and expects the same bytes.
func TestDeterministic(t *testing.T) {
	var trees []filetree.Tree
	for i := 0; i < 2; i++ {
		out := filepath.Join(t.TempDir(), "p")
		if _, err := Generate(context.Background(), helloWorld(t), out); err != nil {
			t.Fatal(err)
		}
		tree, err := filetree.Read(out, nil)
		if err != nil {
			t.Fatal(err)
		}
		trees = append(trees, tree)
	}
	testbed.CompareTrees(t, "first generation", trees[0], "second generation", trees[1])
}

// TestLockReproducesGeneration checks that the lock file holds the answers,
// the plugin's own requirements among them, the manifest and every
// generated file but go.sum and itself, exactly.
func TestLockReproducesGeneration(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p")
	o := helloWorld(t)
	o.Requires = []module.Version{{Path: "example.com/logkit", Version: "v1.0.0"}}
	if _, err := Generate(context.Background(), o, out); err != nil {
		t.Fatal(err)
	}
	l, err := lock.Read(filepath.Join(out, lock.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if l.Answers.Name != o.Name || l.Answers.Module != o.Module || strings.Join(l.Answers.Libc, ",") != "glibc,musl" {
		t.Errorf("lock answers = %+v, want the generation's", l.Answers)
	}
	if got := strings.Join(l.Answers.Requires, " "); got != "example.com/logkit@v1.0.0" {
		t.Errorf("lock requires %q, want example.com/logkit@v1.0.0", got)
	}
	if l.ManifestDigest != o.Manifest.Digest() {
		t.Errorf("lock manifest digest = %s, want %s", l.ManifestDigest, o.Manifest.Digest())
	}
	tree, err := filetree.Read(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	delete(tree, "go.sum")
	delete(tree, lock.FileName)
	testbed.CompareTrees(t, "the repository", tree, "scaffold.lock", filetree.Tree(l.Files))
}

// TestFailureLeavesNothing makes generation fail after files are staged
// (an SDK version the proxy does not serve) and checks that neither the
// target nor a temporary sibling remains.
func TestFailureLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	o := helloWorld(t)
	o.Manifest.SDK.Version = "v1.9.9"
	o.Manifest.Module(o.Manifest.SDK.Module).Version = "v1.9.9"
	_, err := Generate(context.Background(), o, filepath.Join(parent, "p"))
	if err == nil {
		t.Fatal("Generate succeeded with an SDK version nobody serves")
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 0 {
		t.Errorf("after a failed generation %s holds %v, want nothing", parent, entries)
	}
}
