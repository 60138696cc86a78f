package image

import (
	"archive/tar"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// TestResolve follows symbolic links inside the image's file system, and
// names what it cannot follow.
func TestResolve(t *testing.T) {
	entries := map[string]entry{
		"/usr/local/bin/host": {typ: tar.TypeReg},
		"/usr/bin/host":       {typ: tar.TypeSymlink, link: "../local/bin/host"},
		"/bin/host":           {typ: tar.TypeSymlink, link: "/usr/bin/host"},
		"/loop":               {typ: tar.TypeSymlink, link: "/loop"},
		"/dev/null":           {typ: tar.TypeChar},
	}
	for _, tt := range []struct{ in, want, err string }{
		{in: "/bin/host", want: "/usr/local/bin/host"},
		{in: "usr/bin/host", want: "/usr/local/bin/host"},
		{in: "/loop", err: "too many symbolic links"},
		{in: "/dev/null", err: "not a regular file"},
		{in: "/nowhere", err: "no such file"},
	} {
		got, err := resolve(entries, tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: got %q, %v; want an error with %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestEntrypoint finds the program the image runs, on its PATH when the
// entrypoint has no slash, and refuses a shell or an init, which are not
// the host.
func TestEntrypoint(t *testing.T) {
	entries := map[string]entry{"/opt/app/bin/hub": {typ: tar.TypeReg}}
	cfg := func(entrypoint, cmd []string, env ...string) *v1.ConfigFile {
		return &v1.ConfigFile{Config: v1.Config{Entrypoint: entrypoint, Cmd: cmd, Env: env}}
	}
	for _, tt := range []struct {
		cfg       *v1.ConfigFile
		want, err string
	}{
		{cfg: cfg([]string{"/opt/app/bin/hub", "-config", "x"}, nil), want: "/opt/app/bin/hub"},
		{cfg: cfg(nil, []string{"hub"}, "PATH=/usr/bin:/opt/app/bin"), want: "/opt/app/bin/hub"},
		{cfg: cfg([]string{"hub"}, nil), err: "on none of the image's PATH"},
		{cfg: cfg([]string{"/bin/sh", "-c", "hub"}, nil), err: "runs /bin/sh -c hub, not the host"},
		{cfg: cfg(nil, nil), err: "no entrypoint and no command"},
	} {
		got, err := entrypoint(tt.cfg, entries)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%v: got %q, %v; want an error with %q", tt.cfg.Config, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%v: got %q, %v; want %q", tt.cfg.Config, got, err, tt.want)
		}
	}
}

// TestUntar unpacks files and directories only: a link, or a path leading
// out of the directory, is refused.
func TestUntar(t *testing.T) {
	for _, tt := range []struct {
		name string
		hdr  tar.Header
		err  string
	}{
		{"a file", tar.Header{Name: "blobs/sha256/x", Typeflag: tar.TypeReg, Mode: 0o644}, ""},
		{"a symbolic link", tar.Header{Name: "oci-layout", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}, "neither a file nor a directory"},
		{"a path out", tar.Header{Name: "../../escaped", Typeflag: tar.TypeReg, Mode: 0o644}, "escapes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "a.tar")
			f, err := os.Create(file)
			if err != nil {
				t.Fatal(err)
			}
			tw := tar.NewWriter(f)
			if err := tw.WriteHeader(&tt.hdr); err != nil {
				t.Fatal(err)
			}
			if err := tw.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			out := filepath.Join(dir, "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			err = untar(file, out)
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("got %v, want %q", err, tt.err)
			}
			if _, err := os.Stat(filepath.Join(dir, "escaped")); err == nil {
				t.Error("a file was written outside the directory")
			}
		})
	}
}
