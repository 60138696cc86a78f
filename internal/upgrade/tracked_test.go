package upgrade

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/lock"
)

// TestTrackedManyFiles: a lock that lists many files of one directory,
// which holds them (a repository made to, say), is read in time in
// proportion to the files: the directory is looked through for what an
// interrupted upgrade left once, not once per file.
func TestTrackedManyFiles(t *testing.T) {
	const n = 10000
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for i := range n {
		p := fmt.Sprintf("a/f%d", i)
		if err := os.WriteFile(filepath.Join(dir, p), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		files[p] = nil
	}
	if err := os.WriteFile(filepath.Join(dir, "a", ".f7.old-1"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := filetree.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	r := &repo{dir: dir, root: root, lock: &lock.Lock{Files: files}}
	// Read once per file, as before, the directory took more than 20 s;
	// read once, milliseconds. A regression shows as the test binary's
	// timeout.
	_, err = r.tracked()
	if want := "a/f7: a/.f7.old-1 is left from an interrupted upgrade"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("tracked() = %v, want an error saying %q", err, want)
	}
}
