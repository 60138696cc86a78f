//go:build unix

package input

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFile reads hostile paths: each is refused at once, naming the
// file, and nothing is read from a device or waits on a FIFO.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	zeroLink := filepath.Join(dir, "go.sum")
	if err := os.Symlink("/dev/zero", zeroLink); err != nil {
		t.Fatal(err)
	}
	fifoLink := filepath.Join(dir, "fifo-link")
	if err := os.Symlink(fifo, fifoLink); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if f, err := os.Create(big); err != nil {
		t.Fatal(err)
	} else if err := f.Truncate(200 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	} else {
		f.Close()
	}
	ok := write("ok.yaml", []byte("a: 1\n"))
	exact := write("exact", bytes.Repeat([]byte("x"), 64))
	for _, tt := range []struct {
		name, path string
		limit      int64
		want       string // "" for success
	}{
		{"regular file", ok, 64, ""},
		{"file at the limit", exact, 64, ""},
		{"file over the limit", exact, 63, "exact is 64 bytes, more than the 63 bytes such a file may be"},
		{"200 MB file", big, ManifestLimit, "big.yaml is 200 MiB, more than the 8 MiB such a file may be"},
		{"/dev/zero", "/dev/zero", ManifestLimit, "/dev/zero: not a regular file: it is a character device"},
		{"/dev/null", "/dev/null", ManifestLimit, "not a regular file: it is a character device"},
		{"/dev/stdin", "/dev/stdin", ManifestLimit, "not a regular file"},
		{"symlink to /dev/zero", zeroLink, SourceLimit, "go.sum: not a regular file: it is a character device"},
		{"FIFO", fifo, ManifestLimit, "fifo: not a regular file: it is a FIFO"},
		{"symlink to a FIFO", fifoLink, ManifestLimit, "fifo-link: not a regular file: it is a FIFO"},
		{"directory", dir, ManifestLimit, "not a regular file: it is a directory"},
		{"missing file", filepath.Join(dir, "none"), ManifestLimit, "no such file or directory"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := ReadFile(tt.path, tt.limit)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("ReadFile(%s) blocks", tt.path)
			}
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// TestReadAllGrown refuses a file that grew past its limit after it was
// checked.
func TestReadAllGrown(t *testing.T) {
	_, err := ReadAll(strings.NewReader("0123456789"), "m.yaml", 9)
	var tl *TooLargeError
	if !errors.As(err, &tl) || err.Error() != "m.yaml grew beyond 9 bytes while it was read" {
		t.Errorf("got %v, want a too-large error", err)
	}
	if data, err := ReadAll(strings.NewReader("0123456789"), "m.yaml", 10); err != nil || len(data) != 10 {
		t.Errorf("got %q, %v, want the whole file", data, err)
	}
}
