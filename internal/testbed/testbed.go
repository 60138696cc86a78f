// Package testbed builds the example gateway's world for tests and the
// demo: a file-based module proxy serving the example modules at their
// versions, a module cache of its own, and the gateway host binaries built
// from it with the gateway's own Makefile. Hosts and plugins then fetch the
// SDK as the published, versioned module real ones use.
package testbed

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/modproxy"
)

// A World is the example gateway's world on disk.
type World struct {
	// Root holds everything the world writes.
	Root string
	// Examples is the repository's examples directory.
	Examples string
	// Env is the environment to build examples in: the process's own, with
	// the world's proxy and module cache.
	Env []string

	mu    sync.Mutex
	hosts map[string]*hostBuild
}

type hostBuild struct {
	once sync.Once
	path string
	err  error
}

// New makes a world under root (created if needed) for the examples
// directory examples.
func New(root, examples string) (*World, error) {
	w := &World{Root: root, Examples: examples, hosts: map[string]*hostBuild{}}
	proxy := filepath.Join(root, "proxy")
	srcs, err := modproxy.Scan(filepath.Join(examples, "modules"))
	if err != nil {
		return nil, err
	}
	if err := modproxy.Write(proxy, srcs); err != nil {
		return nil, fmt.Errorf("writing the example module proxy: %w", err)
	}
	env := os.Environ()
	// The module proxy stays the fallback, for toolchains GOTOOLCHAIN
	// fetches; the example modules are found in the file proxy first.
	env = gocmd.Setenv(env, "GOPROXY", modproxy.URL(proxy)+",https://proxy.golang.org")
	env = gocmd.Setenv(env, "GOMODCACHE", filepath.Join(root, "modcache"))
	// Writable module cache, so the world can be removed; no VCS stamps,
	// which need git to trust the checkout and change nothing that loads.
	env = gocmd.Setenv(env, "GOFLAGS", "-modcacherw -buildvcs=false")
	w.Env = env
	return w, nil
}

// Getenv returns a variable of the world's environment.
func (w *World) Getenv(key string) string { return gocmd.Getenv(w.Env, key) }

// Close removes the world. Files the go command made read-only are made
// writable first.
func (w *World) Close() error {
	filepath.WalkDir(w.Root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	return os.RemoveAll(w.Root)
}

// Host variants: how the gateway's Makefile builds it.
const (
	Glibc = "glibc"
	Musl  = "musl"
)

// Host returns the gateway binary of a variant, building it on first use;
// later calls, from any goroutine, share the build.
func (w *World) Host(variant string) (string, error) {
	w.mu.Lock()
	h, ok := w.hosts[variant]
	if !ok {
		h = &hostBuild{}
		w.hosts[variant] = h
	}
	w.mu.Unlock()
	h.once.Do(func() {
		target := map[string]string{Glibc: "build", Musl: "build-musl"}[variant]
		if target == "" {
			h.err = fmt.Errorf("unknown gateway variant %q", variant)
			return
		}
		out := filepath.Join(w.Root, "hosts", variant, "gateway")
		if h.err = os.MkdirAll(filepath.Dir(out), 0o755); h.err != nil {
			return
		}
		h.err = w.Make(filepath.Join(w.Examples, "gateway"), target, "OUT="+out)
		h.path = out
	})
	return h.path, h.err
}

// Make runs make in dir with the world's environment.
func (w *World) Make(dir string, args ...string) error {
	return w.Run(dir, "make", append([]string{"--no-print-directory"}, args...)...)
}

// Run runs a command in dir with the world's environment.
func (w *World) Run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = w.Env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, out.String())
	}
	return nil
}

// ExamplesDir finds the repository's examples directory from the working
// directory of a test or the demo: the nearest ancestor holding
// examples/gateway.
func ExamplesDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "examples")
		if _, err := os.Stat(filepath.Join(candidate, "gateway", "go.mod")); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no examples/gateway above the working directory")
		}
		dir = parent
	}
}
