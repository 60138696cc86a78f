// Package image finds a host's binary in the container image the host
// project releases, for a plugin author whose starting point is that
// image: the binary its entrypoint runs, the C library the image ships,
// and the image's digest, which pins the runtime the plugin will run in.
//
// An image is read from an OCI image layout directory, an OCI archive
// (oci-archive:FILE, as buildah push and skopeo write), a docker save
// tarball (docker-archive:FILE), or a registry (any other reference),
// through go-containerregistry. Nothing in it is run.
package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// A Host is a host binary found in an image.
type Host struct {
	// Binary is the binary, copied out of the image into a temporary
	// file that Close removes.
	Binary string
	// Path is where the image keeps it.
	Path string
	// Digest is the image's manifest digest, as sha256:HEX.
	Digest string
	// Runtime is the image's repository (its name without a tag), or ""
	// when the image names none; Digest pins it.
	Runtime string
	// Libc is the C library whose dynamic loader the image ships: glibc
	// or musl, or empty for none.
	Libc string
}

// Close removes the copy of the binary.
func (h *Host) Close() error {
	if h.Binary == "" {
		return nil
	}
	return os.RemoveAll(filepath.Dir(h.Binary))
}

// Options say what to look for and where.
type Options struct {
	// BinaryPath is the host binary's path in the image; empty for the
	// one its entrypoint (or command) names.
	BinaryPath string
	// Platform is the platform to take from an index of several, as
	// linux/amd64.
	Platform v1.Platform
}

// Open finds the host binary in the image ref.
func Open(ctx context.Context, ref string, o Options) (*Host, error) {
	img, named, cleanup, err := load(ctx, ref, o.Platform)
	defer cleanup()
	if err != nil {
		return nil, fmt.Errorf("--from-image %s: %w", ref, err)
	}
	h, err := find(img, o)
	if err != nil {
		return nil, fmt.Errorf("--from-image %s: %w", ref, err)
	}
	digest, err := img.Digest()
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("--from-image %s: %w", ref, err)
	}
	h.Digest, h.Runtime = digest.String(), named
	return h, nil
}

// load reads the image a reference names, and the repository it is
// known by, when known. The image reads its layers lazily: cleanup,
// which removes what load unpacked, comes after the last read.
func load(ctx context.Context, ref string, platform v1.Platform) (_ v1.Image, named string, cleanup func(), _ error) {
	if !strings.HasPrefix(ref, "oci-archive:") {
		img, named, err := open(ctx, ref, platform)
		return img, named, func() {}, err
	}
	file := strings.TrimPrefix(ref, "oci-archive:")
	file, _, _ = strings.Cut(file, ":") // oci-archive:FILE[:REF]
	dir, err := os.MkdirTemp("", "scaffold-image-")
	if err != nil {
		return nil, "", func() {}, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	if err := untar(file, dir); err != nil {
		return nil, "", cleanup, err
	}
	img, named, err := fromLayout(dir, platform)
	return img, named, cleanup, err
}

// open reads an image that need not be unpacked first.
func open(ctx context.Context, ref string, platform v1.Platform) (v1.Image, string, error) {
	switch {
	case strings.HasPrefix(ref, "oci:"):
		dir, _, _ := strings.Cut(strings.TrimPrefix(ref, "oci:"), ":")
		return fromLayout(dir, platform)
	case strings.HasPrefix(ref, "docker-archive:"):
		file := strings.TrimPrefix(ref, "docker-archive:")
		file, _, _ = strings.Cut(file, ":")
		f, err := input.Open(file, input.BinaryLimit)
		if err != nil {
			return nil, "", err
		}
		f.Close()
		img, err := tarball.ImageFromPath(file, nil)
		if err != nil {
			return nil, "", err
		}
		named := ""
		if m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return input.Open(file, input.BinaryLimit) }); err == nil && len(m) == 1 && len(m[0].RepoTags) == 1 {
			if t, err := name.NewTag(m[0].RepoTags[0]); err == nil {
				named = t.Context().Name()
			}
		}
		return img, named, nil
	}
	if fi, err := os.Stat(ref); err == nil && fi.IsDir() {
		return fromLayout(ref, platform)
	}
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, "", fmt.Errorf("not an image reference, nor an oci:DIR, oci-archive:FILE or docker-archive:FILE: %w", err)
	}
	img, err := remote.Image(r, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain), remote.WithPlatform(platform))
	if err != nil {
		return nil, "", err
	}
	return img, r.Context().Name(), nil
}

// fromLayout reads the one image of an OCI layout, or the one of its
// platform.
func fromLayout(dir string, platform v1.Platform) (v1.Image, string, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, "", err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, "", err
	}
	var found []v1.Descriptor
	for _, d := range im.Manifests {
		if d.Platform == nil || platform.OS == "" || d.Platform.Satisfies(platform) {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		return nil, "", fmt.Errorf("no image for %s in the layout", platform)
	}
	if len(found) > 1 {
		var names []string
		for _, d := range found {
			names = append(names, d.Digest.String())
		}
		return nil, "", fmt.Errorf("the layout holds %d images (%s): keep one, or give the platform", len(found), strings.Join(names, ", "))
	}
	img, err := idx.Image(found[0].Digest)
	if err != nil {
		return nil, "", err
	}
	named := ""
	if n := found[0].Annotations["org.opencontainers.image.ref.name"]; n != "" {
		// buildah and skopeo write the reference the image was pushed
		// from, which may be a tag alone.
		if r, err := name.ParseReference(n); err == nil && strings.Contains(n, "/") {
			named = r.Context().Name()
		}
	}
	return img, named, nil
}

// untar unpacks an archive of regular files and directories into dir,
// refusing any other kind of entry and any path leading out.
func untar(file, dir string) error {
	f, err := input.Open(file, input.BinaryLimit)
	if err != nil {
		return err
	}
	defer f.Close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	return eachEntry(f, file, func(name string, hdr *tar.Header, r io.Reader) (bool, error) {
		if name == "." {
			return false, nil
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			return false, root.MkdirAll(name, 0o755)
		case tar.TypeReg:
			if err := root.MkdirAll(path.Dir(name), 0o755); err != nil {
				return false, err
			}
			out, err := root.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
			if err != nil {
				return false, err
			}
			_, err = io.Copy(out, r)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			return false, err
		default:
			return false, fmt.Errorf("reading %s: %s is neither a file nor a directory, which an OCI archive holds only", file, hdr.Name)
		}
	})
}

// eachEntry calls fn for each entry of the tar archive r, named by its
// clean path from the archive's root, until fn says it is done; what
// names the archive in an error reading it.
func eachEntry(r io.Reader, what string, fn func(name string, hdr *tar.Header, r io.Reader) (bool, error)) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", what, err)
		}
		done, err := fn(path.Clean(strings.TrimPrefix(hdr.Name, "./")), hdr, tr)
		if err != nil || done {
			return err
		}
	}
}

// An entry is one file of the image's file system.
type entry struct {
	typ  byte
	link string
}

// find reads the image's file system for the binary and the C library.
func find(img v1.Image, o Options) (*Host, error) {
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	entries := map[string]entry{}
	if err := walk(img, func(name string, hdr *tar.Header, _ io.Reader) (bool, error) {
		entries[name] = entry{typ: hdr.Typeflag, link: hdr.Linkname}
		return false, nil
	}); err != nil {
		return nil, err
	}
	want := o.BinaryPath
	if want == "" {
		if want, err = entrypoint(cfg, entries); err != nil {
			return nil, err
		}
	}
	p, err := resolve(entries, want)
	if err != nil {
		return nil, fmt.Errorf("the host binary %s: %w (give its path with --binary-path)", want, err)
	}
	tmp, err := os.MkdirTemp("", "scaffold-image-host-")
	if err != nil {
		return nil, err
	}
	h := &Host{Binary: filepath.Join(tmp, path.Base(p)), Path: p, Libc: libcOf(entries)}
	copied := false
	err = walk(img, func(name string, hdr *tar.Header, r io.Reader) (bool, error) {
		if name != p {
			return false, nil
		}
		if hdr.Size > input.BinaryLimit {
			return true, fmt.Errorf("%s is %s, more than a binary may be (%s)", p, input.Size(hdr.Size), input.Size(input.BinaryLimit))
		}
		out, err := os.OpenFile(h.Binary, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o755)
		if err != nil {
			return true, err
		}
		_, err = io.Copy(out, r)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		copied = err == nil
		return true, err
	})
	if err == nil && !copied {
		err = fmt.Errorf("%s was not found in the image's layers", p)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return h, nil
}

// walk calls fn for each file of the image's flattened file system, until
// fn says it is done.
func walk(img v1.Image, fn func(name string, hdr *tar.Header, r io.Reader) (bool, error)) error {
	rc := mutate.Extract(img)
	defer rc.Close()
	return eachEntry(rc, "the image's layers", func(name string, hdr *tar.Header, r io.Reader) (bool, error) {
		return fn(path.Clean("/"+name), hdr, r)
	})
}

// entrypoint is the program the image runs: its entrypoint's first
// word, or its command's, found on the image's PATH when it has no slash.
func entrypoint(cfg *v1.ConfigFile, entries map[string]entry) (string, error) {
	argv := cfg.Config.Entrypoint
	if len(argv) == 0 {
		argv = cfg.Config.Cmd
	}
	if len(argv) == 0 {
		return "", errors.New("the image has no entrypoint and no command: give the host binary's path with --binary-path")
	}
	prog := argv[0]
	if slices.Contains([]string{"/bin/sh", "sh", "/bin/bash", "bash", "/usr/bin/env", "env", "/sbin/tini", "tini", "/usr/bin/dumb-init", "dumb-init"}, prog) {
		return "", fmt.Errorf("the image's entrypoint runs %s, not the host: give the host binary's path with --binary-path", strings.Join(argv, " "))
	}
	if strings.Contains(prog, "/") {
		return path.Clean(prog), nil
	}
	pathVar := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for _, kv := range cfg.Config.Env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathVar = v
		}
	}
	for _, d := range strings.Split(pathVar, ":") {
		if p := path.Join(d, prog); d != "" {
			if _, err := resolve(entries, p); err == nil {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("the image's entrypoint %s is on none of the image's PATH: give the host binary's path with --binary-path", prog)
}

// resolve follows the symbolic links of an absolute path in the image's
// file system to a regular file.
func resolve(entries map[string]entry, p string) (string, error) {
	p = path.Clean("/" + p)
	for range 40 {
		e, ok := entries[p]
		if !ok {
			return "", errors.New("no such file in the image")
		}
		switch e.typ {
		case tar.TypeReg:
			return p, nil
		case tar.TypeSymlink:
			if path.IsAbs(e.link) {
				p = path.Clean(e.link)
			} else {
				p = path.Join(path.Dir(p), e.link)
			}
		case tar.TypeLink:
			p = path.Clean("/" + e.link)
		default:
			return "", errors.New("not a regular file")
		}
	}
	return "", errors.New("too many symbolic links")
}

// libcOf tells the C library from the dynamic loaders the image ships.
func libcOf(entries map[string]entry) string {
	musl, glibc := false, false
	for name := range entries {
		base := path.Base(name)
		switch {
		case strings.HasPrefix(base, "ld-musl-") && strings.HasSuffix(base, ".so.1"):
			musl = true
		case strings.HasPrefix(base, "ld-linux") && strings.Contains(base, ".so."):
			glibc = true
		}
	}
	switch {
	case musl && !glibc:
		return "musl"
	case glibc && !musl:
		return "glibc"
	}
	return ""
}
