// Package testbed builds the example gateway's world for tests and the
// demo: a file-based module proxy serving the example modules at their
// versions, a module cache of its own, and the gateway host binaries built
// from it with the gateway's own Makefile. Hosts and plugins then fetch the
// SDK as the published, versioned module real ones use. Tests share one
// world, across the test binaries of a run and between runs ([Open]):
// each host is built once while what it is built from is unchanged.
package testbed

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/filetree"
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

	// Scratch is this process's own directory, for what a test writes
	// beside the world and no other process may see; Close removes it.
	Scratch string

	hosts onceMap[string]
	repos onceMap[repo]

	// The module proxy served over HTTP, and what Close stops.
	serveOnce sync.Once
	serveURL  string
	serveErr  error
	closers   []func() error

	// release lets go of a shared world ([Open]); a world of its own
	// ([New]) has none and is removed by Close.
	release func()
}

// Released lists the example hosts released from a git repository, with
// their release tags: their plugins build against the host's own source,
// so the host is built from a tagged checkout, as its release would be.
var Released = map[string]string{"mono": "v2.1.0", "kiln": "v1.0.0"}

// Proxied lists the released example hosts whose own module the world's
// module proxy serves at their release tag, as a real host's is once its
// tag is public: their plugins take the host's source from it, and no
// checkout of theirs is given anywhere.
var Proxied = []string{"kiln"}

// ExampleModules is the path prefix of every module the example world
// serves.
const ExampleModules = "example.com"

// A repo is an example host's release repository and its commit.
type repo struct {
	dir, revision string
}

// A onceMap computes one value per key, once, however many goroutines ask
// for it at the same time: each example host is built once per world.
type onceMap[V any] struct {
	mu sync.Mutex
	m  map[string]*onceValue[V]
}

type onceValue[V any] struct {
	once sync.Once
	v    V
	err  error
}

func (o *onceMap[V]) get(key string, compute func() (V, error)) (V, error) {
	o.mu.Lock()
	if o.m == nil {
		o.m = map[string]*onceValue[V]{}
	}
	e, ok := o.m[key]
	if !ok {
		e = &onceValue[V]{}
		o.m[key] = e
	}
	o.mu.Unlock()
	e.once.Do(func() { e.v, e.err = compute() })
	return e.v, e.err
}

// New makes a world of its own under root (created if needed) for the
// examples directory examples; Close removes it. Tests share one made by
// [Open] instead.
func New(root, examples string) (*World, error) {
	w, err := open(root, examples)
	if err != nil {
		return nil, err
	}
	w.Scratch = filepath.Join(root, "scratch")
	if err := os.MkdirAll(w.Scratch, 0o755); err != nil {
		return nil, err
	}
	return w, nil
}

// open sets up the world in root: the example module proxy, written once,
// and the environment to build in.
func open(root, examples string) (*World, error) {
	w := &World{Root: root, Examples: examples}
	proxy := filepath.Join(root, "proxy")
	srcs, err := modproxy.Scan(filepath.Join(examples, "modules"))
	if err != nil {
		return nil, err
	}
	for _, name := range Proxied {
		if _, err := os.Stat(filepath.Join(examples, name, "go.mod")); err != nil {
			continue // an examples directory of a test's own, without it
		}
		srcs = append(srcs, modproxy.Source{Version: module.Version{Path: ExampleModules + "/" + name, Version: Released[name]}, Dir: filepath.Join(examples, name)})
	}
	if err := fill(proxy, func(tmp string) error { return modproxy.Write(tmp, srcs) }); err != nil {
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
	// The example modules are in no public checksum database: the world
	// exempts them as a plugin author exempts a private mirror's, in the
	// environment. A manifest's own patterns name only its host's modules.
	env = gocmd.Setenv(env, "GONOSUMDB", ExampleModules)
	// Full, so that tests appending to it side by side each get a copy.
	w.Env = slices.Clip(env)
	return w, nil
}

// RunTests opens the shared world ([Open]), hands it to set, runs the
// tests and lets go of the world. It returns the exit code for os.Exit,
// so that a test binary's TestMain is one line.
func RunTests(m interface{ Run() int }, set func(*World) error) int {
	code, err := runTests(m, set)
	if err != nil {
		fmt.Fprintln(os.Stderr, "setting up the example world:", err)
		return 1
	}
	return code
}

func runTests(m interface{ Run() int }, set func(*World) error) (int, error) {
	examples, err := ExamplesDir()
	if err != nil {
		return 0, err
	}
	w, err := Open(examples)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	if err := set(w); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// Getenv returns a variable of the world's environment.
func (w *World) Getenv(key string) string { return gocmd.Getenv(w.Env, key) }

// Close stops the world's servers and removes its scratch directory; a
// shared world is left for the next run, a world of its own is removed.
// Files the go command made read-only are made writable first.
func (w *World) Close() error {
	// Servers: what fails to close shows in the removal below, which is
	// the one error worth reporting.
	for _, c := range w.closers {
		_ = c()
	}
	if w.release == nil {
		return removeTree(w.Root)
	}
	defer w.release()
	if w.Scratch == "" {
		return nil
	}
	return removeTree(w.Scratch)
}

// Host variants: how the gateway's Makefile builds it.
const (
	Glibc = "glibc"
	Musl  = "musl"
	// Arm64 is the glibc gateway cross-built for arm64.
	Arm64 = "arm64"
	// Untrimmed is built without -trimpath, from the world's module
	// cache.
	Untrimmed = "untrimmed"
)

// Host returns the gateway binary of a variant, building it on first use;
// later calls, from any goroutine or process, share the build.
func (w *World) Host(variant string) (string, error) {
	target := map[string]string{Glibc: "build", Musl: "build-musl", Arm64: "build-arm64", Untrimmed: "build-untrimmed"}[variant]
	if target == "" {
		return "", fmt.Errorf("unknown gateway variant %q", variant)
	}
	return w.Build("gateway", target)
}

// Build returns the binary of the example host in examples/NAME (a path
// such as gateway/releases/v0.9.0 for an earlier release kept with its own
// source) built with its Makefile's target, building it on first use; later calls, from any
// goroutine or process, share the build.
func (w *World) Build(name, target string) (string, error) {
	return w.hosts.get(name+"/"+target, func() (string, error) {
		dir := filepath.Join(w.Root, "hosts", name, target)
		err := fill(dir, func(tmp string) error {
			src := filepath.Join(w.Examples, name)
			if _, ok := Released[name]; ok {
				var err error
				if src, _, err = w.Repo(name); err != nil {
					return err
				}
			}
			return w.Make(src, target, "OUT="+filepath.Join(tmp, "host"))
		})
		return filepath.Join(dir, "host"), err
	})
}

// Repo returns a git repository holding examples/NAME as one commit
// tagged with its release, and the commit's hash, making it on first use.
// Author, committer and dates are fixed, so the hash is the same on every
// run for the same files.
func (w *World) Repo(name string) (dir, revision string, err error) {
	tag, ok := Released[name]
	if !ok {
		return "", "", fmt.Errorf("example %s is not released from a repository", name)
	}
	r, err := w.repos.get(name, func() (repo, error) {
		dir := filepath.Join(w.Root, "repos", name)
		err := fill(dir, func(tmp string) error { return makeRepo(filepath.Join(w.Examples, name), tmp, tag) })
		if err != nil {
			return repo{}, err
		}
		rev, err := git(dir, "rev-parse", "HEAD")
		return repo{dir, rev}, err
	})
	return r.dir, r.revision, err
}

// makeRepo makes in dir a git repository holding the files of src as one
// commit tagged tag.
func makeRepo(src, dir, tag string) error {
	// The release's manifests record the commit, so they cannot be in it.
	if err := copyTree(src, dir, "releases"); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"init", "--quiet", "--initial-branch=main"},
		{"add", "--all"},
		{"commit", "--quiet", "--message", "Release " + tag},
		{"tag", tag},
	} {
		if _, err := git(dir, args...); err != nil {
			return err
		}
	}
	return nil
}

// git runs git in dir as the examples' fixed author and committer, at a
// fixed date, with no configuration of the machine's.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=Example", "GIT_AUTHOR_EMAIL=example@example.com", "GIT_AUTHOR_DATE=2026-01-01T00:00:00Z",
		"GIT_COMMITTER_NAME=Example", "GIT_COMMITTER_EMAIL=example@example.com", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// copyTree copies the regular files under from to to, with fixed modes,
// leaving out the top-level directories skip names.
func copyTree(from, to string, skip ...string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if d.IsDir() && slices.Contains(skip, rel) {
			return filepath.SkipDir
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
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
// directory of a test or the demo; see [examplefiles.Dir].
func ExamplesDir() (string, error) { return examplefiles.Dir() }

// CompareTrees reports, on t, every file one tree has and the other lacks,
// and the difference of every file both have.
func CompareTrees(t testing.TB, wantName string, want filetree.Tree, gotName string, got filetree.Tree) {
	t.Helper()
	for _, p := range want.Paths() {
		if _, ok := got[p]; !ok {
			t.Errorf("%s has %s, %s does not", wantName, p, gotName)
		}
	}
	for _, p := range got.Paths() {
		w, ok := want[p]
		if !ok {
			t.Errorf("%s has %s, which %s does not", gotName, p, wantName)
			continue
		}
		if !bytes.Equal(w, got[p]) {
			t.Errorf("%s differs:\n%s", p, diff.Diff(wantName+"/"+p, w, gotName+"/"+p, got[p]))
		}
	}
}
