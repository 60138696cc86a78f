package testbed

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
)

// A Builder is a container image that stands in for a host's pinned
// builder image (golang:VERSION-bookworm), made on this machine without a
// registry: Debian bookworm from debootstrap with what the official image
// has for cgo (gcc, libc6-dev, make, git), and this machine's Go release
// copied in. It lives in a buildah storage of its own; Env points buildah
// there.
type Builder struct {
	// Name is the image's name, the one Dockerfiles' FROM gives.
	Name string
	// Env is the environment buildah runs in to see the image: vfs
	// storage, chroot isolation, no daemon and no registry needed.
	Env []string
	// Made says how the image came about, and how long that took.
	Made string
}

// BuilderTools are the programs a builder image needs on this machine.
var BuilderTools = []string{"debootstrap", "buildah"}

// The debootstrap of the builder: Debian's own suite and mirror, and the
// packages golang:*-bookworm adds for cgo builds.
const (
	builderSuite  = "bookworm"
	builderMirror = "http://deb.debian.org/debian"
)

var builderPackages = []string{"gcc", "libc6-dev", "make", "git", "ca-certificates"}

var (
	builderOnce sync.Once
	builder     *Builder
	builderErr  error
)

// BuilderImage returns the builder image named name (for this machine's
// Go release, which must be the one name's tag says), making it on first
// use in this process. It is kept in a cache directory
// ($SCAFFOLD_TEST_CACHE, else the user's cache directory) keyed by its
// inputs, so later runs on the same machine reuse it: debootstrap takes
// minutes. Runs of several processes wait for each other.
func BuilderImage(name string) (*Builder, error) {
	builderOnce.Do(func() { builder, builderErr = makeBuilder(name) })
	return builder, builderErr
}

func makeBuilder(name string) (*Builder, error) {
	start := time.Now()
	if os.Geteuid() != 0 {
		return nil, errors.New("making a builder image needs root (debootstrap)")
	}
	for _, tool := range BuilderTools {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("making a builder image: %s not found", tool)
		}
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	goVersion, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOVERSION: %w", err)
	}
	root, err := cacheDir()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockFile(filepath.Join(root, "lock"), syscall.LOCK_EX)
	if err != nil {
		return nil, err
	}
	defer unlock()

	conf := filepath.Join(root, "storage.conf")
	confText := fmt.Sprintf("[storage]\ndriver = \"vfs\"\ngraphroot = %q\nrunroot = %q\n",
		filepath.Join(root, "storage"), filepath.Join(root, "run"))
	if err := os.WriteFile(conf, []byte(confText), 0o644); err != nil {
		return nil, err
	}
	env := gocmd.Setenv(os.Environ(), "CONTAINERS_STORAGE_CONF", conf)
	env = gocmd.Setenv(env, "STORAGE_DRIVER", "vfs")
	env = gocmd.Setenv(env, "BUILDAH_ISOLATION", "chroot")
	b := &Builder{Name: name, Env: env}

	rootfsKey := key(builderSuite, builderMirror, runtime.GOARCH, strings.Join(builderPackages, ","), "pruned")
	imageKey := key(rootfsKey, name, strings.TrimSpace(string(goVersion)), strings.TrimSpace(string(goroot)))
	marker := filepath.Join(root, "image-"+imageKey)
	if id, err := os.ReadFile(marker); err == nil {
		if out, err := b.buildah("inspect", "--type", "image", "--format", "{{.FromImageID}}", name); err == nil && strings.TrimSpace(out) == strings.TrimSpace(string(id)) {
			b.Made = "reused from " + root
			return b, nil
		}
	}

	rootfs := filepath.Join(root, "rootfs-"+rootfsKey)
	made := "debootstrap cached"
	// The image is copied whole into every build's container (vfs): what
	// no build reads is left out.
	// (apt's lists and downloads go as Dockerfiles remove them: the
	// directories stay.)
	prune := []string{"usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "var/lib/apt/lists/*", "var/cache/apt/archives/*.deb"}
	if _, err := os.Stat(filepath.Join(rootfs, "etc", "debian_version")); err != nil {
		t := time.Now()
		tmp := rootfs + ".tmp"
		if err := removeTree(tmp); err != nil {
			return nil, err
		}
		cmd := exec.Command("debootstrap", "--variant=minbase", "--include="+strings.Join(builderPackages, ","), builderSuite, tmp, builderMirror)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("debootstrap: %v\n%s", err, tail(out))
		}
		for _, p := range prune {
			matches, _ := filepath.Glob(filepath.Join(tmp, p))
			for _, m := range matches {
				if err := removeTree(m); err != nil {
					return nil, err
				}
			}
		}
		if err := os.Rename(tmp, rootfs); err != nil {
			return nil, err
		}
		made = fmt.Sprintf("debootstrap %s", time.Since(t).Round(time.Second))
	}

	t := time.Now()
	ctr, err := b.buildah("from", "--quiet", "scratch")
	if err != nil {
		return nil, err
	}
	ctr = strings.TrimSpace(ctr)
	defer func() { _, _ = b.buildah("rm", ctr) }()
	gopath := "/go"
	steps := [][]string{{"copy", "--quiet", ctr, rootfs, "/"}}
	// GOROOT but its own tests and API lists, which builds never read.
	gr := strings.TrimSpace(string(goroot))
	entries, err := os.ReadDir(gr)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() != "test" && e.Name() != "api" {
			steps = append(steps, []string{"copy", "--quiet", ctr, filepath.Join(gr, e.Name()), "/usr/local/go/" + e.Name()})
		}
	}
	for _, args := range append(steps, [][]string{
		{"config",
			"--env", "PATH=/usr/local/go/bin:" + gopath + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"--env", "GOPATH=" + gopath,
			"--env", "GOTOOLCHAIN=local",
			"--workingdir", gopath,
			ctr},
		{"commit", "--quiet", ctr, name},
	}...) {
		if _, err := b.buildah(args...); err != nil {
			return nil, err
		}
	}
	id, err := b.buildah("inspect", "--type", "image", "--format", "{{.FromImageID}}", name)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(marker, []byte(strings.TrimSpace(id)), 0o644); err != nil {
		return nil, err
	}
	// What earlier inputs made is left behind by this image: a replaced
	// image (untagged now), containers of builds that were killed, earlier
	// builds' outputs, other root file systems.
	_, _ = b.buildah("rm", "--all")
	_, _ = b.buildah("rmi", "--prune")
	old, _ := filepath.Glob(filepath.Join(root, "*-*"))
	for _, o := range old {
		if base := filepath.Base(o); (strings.HasPrefix(base, "rootfs-") || strings.HasPrefix(base, "image-")) && o != rootfs && o != marker {
			_ = removeTree(o) // tried again after the next image
		}
	}
	b.Made = fmt.Sprintf("%s, image %s, %s in all", made, time.Since(t).Round(time.Second), time.Since(start).Round(time.Second))
	return b, nil
}

// buildah runs buildah in the builder's storage.
func (b *Builder) buildah(args ...string) (string, error) {
	cmd := exec.Command("buildah", args...)
	cmd.Env = b.Env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("buildah %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

// cacheDir is where builder images are kept between runs.
func cacheDir() (string, error) {
	d, err := CacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "builder"), nil
}

// key is a short digest of a cache entry's inputs.
func key(inputs ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(inputs, "\x00")))
	return hex.EncodeToString(sum[:8])
}

// tail is the end of a command's output, for an error.
func tail(out []byte) string {
	const n = 2000
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return string(out)
}

// ServeProxy serves the world's module proxy over HTTP on the loopback
// interface, for builds that cannot see its directory (a container build)
// and returns its URL. The server stops when the world is closed.
func (w *World) ServeProxy() (string, error) {
	w.serveOnce.Do(func() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			w.serveErr = err
			return
		}
		srv := &http.Server{Handler: http.FileServer(http.Dir(filepath.Join(w.Root, "proxy")))}
		go func() { _ = srv.Serve(l) }() // ends with srv.Close
		w.closers = append(w.closers, srv.Close)
		w.serveURL = "http://" + l.Addr().String()
	})
	return w.serveURL, w.serveErr
}
