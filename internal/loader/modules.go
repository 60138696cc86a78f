package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/input"
)

// A Module is one module of the host's build, as its build info records
// it: the module that was compiled, after any replacement.
type Module struct {
	// Path is the module path its packages are imported by.
	Path string
	// From is the module the source comes from, when a replacement
	// gives another; empty for Path itself.
	From    string
	Version string
	// Sum is the module's hash as the build info records it (h1:...),
	// against which its source is verified; empty when it records none.
	Sum string
	// Dir, when set, holds the module's source already: a checkout of
	// the host's own module, or a directory replacement.
	Dir string
	// ReplaceDir is the directory a replacement names, as the build info
	// records it; a relative one is found in the host's own source.
	ReplaceDir string
}

// Modules finds the source of the packages of a build list: each
// module's directory in the module cache, fetched into it with the go
// command's module download when it is not there yet. A module whose
// hash the build list records is held to it, so that what is read is
// what the host compiled, even where the checksum database does not know
// the module.
type Modules struct {
	// ModCache is the module cache (GOMODCACHE).
	ModCache string
	// Env is the go command's environment for downloads.
	Env []string
	// Progress, when set, is told of each download before it starts.
	Progress func(msg string)

	list []Module // longest path first

	mu       sync.Mutex
	dirs     map[string]string // module path -> directory
	versions map[string]string // module path -> the version downloaded, as the proxy names it
	errs     map[string]error
}

// NewModules returns the finder for the build list mods.
func NewModules(modCache string, env []string, mods []Module) *Modules {
	list := slices.Clone(mods)
	slices.SortFunc(list, func(a, b Module) int { return len(b.Path) - len(a.Path) })
	return &Modules{ModCache: modCache, Env: env, list: list, dirs: map[string]string{}, versions: map[string]string{}, errs: map[string]error{}}
}

// ModuleOf returns the module of the build list that provides the package
// at path, the one with the longest matching path.
func (ms *Modules) ModuleOf(path string) (Module, bool) {
	for _, m := range ms.list {
		if path == m.Path || strings.HasPrefix(path, m.Path+"/") {
			return m, true
		}
	}
	return Module{}, false
}

// PackageDir returns the directory of the package at path.
func (ms *Modules) PackageDir(ctx context.Context, path string) (string, error) {
	m, ok := ms.ModuleOf(path)
	if !ok {
		return "", fmt.Errorf("package %s: no module of the host's build provides it", path)
	}
	dir, err := ms.Dir(ctx, m)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path, m.Path))), nil
}

// Dir returns the directory of module m's source, fetching it first when
// the module cache lacks it.
func (ms *Modules) Dir(ctx context.Context, m Module) (string, error) {
	if m.Dir != "" {
		return m.Dir, nil
	}
	if err := ms.Fetch(ctx, []Module{m}); err != nil {
		return "", err
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if err := ms.errs[m.Path]; err != nil {
		return "", err
	}
	return ms.dirs[m.Path], nil
}

// Fetch makes sure the module cache holds every module of mods, verified,
// downloading the missing ones in one go command.
func (ms *Modules) Fetch(ctx context.Context, mods []Module) error {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	var missing []Module
	for _, m := range mods {
		if m.Dir != "" {
			continue
		}
		if _, done := ms.dirs[m.Path]; done {
			continue
		}
		if _, failed := ms.errs[m.Path]; failed {
			continue
		}
		dir, err := ms.cached(m)
		switch {
		case err != nil:
			ms.errs[m.Path] = err
		case dir != "":
			ms.dirs[m.Path] = dir
		default:
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if ms.Progress != nil {
		ms.Progress(fmt.Sprintf("downloading %s", describeMods(missing)))
	}
	return ms.download(ctx, missing)
}

// source is the module path m's source is fetched by.
func (m Module) source() string {
	if m.From != "" {
		return m.From
	}
	return m.Path
}

func describeMods(mods []Module) string {
	if len(mods) == 1 {
		return mods[0].source() + "@" + mods[0].Version
	}
	return fmt.Sprintf("%d modules of the host's build", len(mods))
}

// cached returns the module's directory when the module cache holds it
// and, for a module whose hash is known, the hash the cache recorded when
// it downloaded the module is that one; "" when it must be downloaded.
func (ms *Modules) cached(m Module) (string, error) {
	dir, ziphash, err := ms.paths(m)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", nil
	}
	if m.Sum == "" {
		return dir, nil
	}
	data, err := input.ReadFile(ziphash, 1<<10)
	if err != nil {
		return "", nil // extracted, but not by the go command's download: fetch it
	}
	if got := strings.TrimSpace(string(data)); got != m.Sum {
		return "", &SumError{Module: m, Got: got, Where: "the module cache " + ms.ModCache}
	}
	return dir, nil
}

func (ms *Modules) paths(m Module) (dir, ziphash string, err error) {
	if m.Version == "" {
		return "", "", fmt.Errorf("module %s: its source is a directory the build info does not locate: give the host's checkout with --host-source", m.Path)
	}
	ep, err := module.EscapePath(m.source())
	if err != nil {
		return "", "", fmt.Errorf("module %s: %w", m.source(), err)
	}
	ev, err := module.EscapeVersion(m.Version)
	if err != nil {
		return "", "", fmt.Errorf("module %s@%s: %w", m.source(), m.Version, err)
	}
	dir = filepath.Join(ms.ModCache, filepath.FromSlash(ep)+"@"+ev)
	ziphash = filepath.Join(ms.ModCache, "cache", "download", filepath.FromSlash(ep), "@v", ev+".ziphash")
	return dir, ziphash, nil
}

// A SumError is a module whose source does not have the hash the host's
// build info records.
type SumError struct {
	Module Module
	Got    string
	Where  string
}

func (e *SumError) Error() string {
	return fmt.Sprintf("%s@%s: %s holds it with hash %s, but the host binary was built from %s: the source is not the host's", e.Module.source(), e.Module.Version, e.Where, e.Got, e.Module.Sum)
}

// download runs go mod download for mods. Modules whose hash the build
// list records are downloaded without asking the checksum database, and
// then held to that hash: the host's binary is the authority on what it
// compiled, and a module the database does not know (a private one, a
// pseudo-version of a fork) still reads. Modules without a recorded hash
// are verified as the go command always does.
func (ms *Modules) download(ctx context.Context, mods []Module) error {
	var known, unknown []Module
	for _, m := range mods {
		if m.Sum != "" {
			known = append(known, m)
		} else {
			unknown = append(unknown, m)
		}
	}
	for _, batch := range []struct {
		mods []Module
		env  []string
	}{
		{known, gocmd.Setenv(ms.Env, "GOSUMDB", "off")},
		{unknown, ms.Env},
	} {
		if len(batch.mods) == 0 {
			continue
		}
		if err := ms.downloadBatch(ctx, batch.mods, batch.env); err != nil {
			return err
		}
	}
	return nil
}

func (ms *Modules) downloadBatch(ctx context.Context, mods []Module, env []string) error {
	args := []string{"mod", "download", "-json"}
	for _, m := range mods {
		args = append(args, m.source()+"@"+m.Version)
	}
	tmp, err := os.MkdirTemp("", "scaffold-download-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "go", args...)
	// Outside any module, so that no go.mod or go.work around takes part.
	cmd.Dir = tmp
	cmd.Env = gocmd.Setenv(gocmd.Setenv(gocmd.Setenv(env, "GO111MODULE", "on"), "GOWORK", "off"), "GOMODCACHE", ms.ModCache)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// One JSON report per module; a failed module reports its error and
	// the command exits non-zero. A version given as a revision is
	// reported as the version it resolves to, so reports are matched by
	// the module path alone.
	byPath := map[string][]Module{}
	for _, m := range mods {
		byPath[m.source()] = append(byPath[m.source()], m)
	}
	dec := json.NewDecoder(&stdout)
	for {
		var r struct {
			Path, Version, Dir, Sum, Error string
		}
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("go mod download: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		pending := byPath[r.Path]
		if len(pending) == 0 {
			continue
		}
		i := slices.IndexFunc(pending, func(m Module) bool { return m.Version == r.Version })
		if i < 0 {
			i = 0
		}
		m := pending[i]
		byPath[r.Path] = slices.Delete(pending, i, i+1)
		switch {
		case r.Error != "":
			ms.errs[m.Path] = downloadError(m, r.Error)
		case m.Sum != "" && r.Sum != m.Sum:
			ms.errs[m.Path] = &SumError{Module: m, Got: r.Sum, Where: "the module proxy"}
		default:
			ms.dirs[m.Path] = r.Dir
			ms.versions[m.Path] = r.Version
		}
	}
	for _, pending := range byPath {
		for _, m := range pending {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" && runErr != nil {
				msg = runErr.Error()
			}
			if msg == "" {
				msg = "go mod download did not report it"
			}
			ms.errs[m.Path] = fmt.Errorf("downloading %s@%s: %s", m.source(), m.Version, msg)
		}
	}
	return nil
}

// downloadError says what to do when a module cannot be fetched.
func downloadError(m Module, msg string) error {
	if m.Sum == "" && strings.Contains(msg, "verifying") {
		return fmt.Errorf("downloading %s@%s: %s: the checksum database does not know it; if that is expected (a private module), run again with GONOSUMDB=%s", m.source(), m.Version, msg, m.source())
	}
	return fmt.Errorf("downloading %s@%s: %s", m.source(), m.Version, msg)
}

// Version returns the version module path was downloaded at, as the
// module proxy names it: for one asked for by a revision, its
// pseudo-version or tag. It is empty for a module taken from the cache.
func (ms *Modules) Version(path string) string {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.versions[path]
}

// Err returns the error fetching module path met, if any.
func (ms *Modules) Err(path string) error {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.errs[path]
}

// ResolveVersion returns the version at which the module proxy serves
// module path for query (a revision, say), downloading it into the module
// cache.
func ResolveVersion(ctx context.Context, env []string, path, query string) (string, error) {
	if env == nil {
		env = os.Environ()
	}
	vals, err := GoEnv(ctx, env, "GOMODCACHE")
	if err != nil {
		return "", err
	}
	ms := NewModules(vals[0], env, nil)
	if _, err := ms.Dir(ctx, Module{Path: path, Version: query}); err != nil {
		return "", err
	}
	return ms.Version(path), nil
}

// GoEnv returns the values of go env for keys, run outside any module.
func GoEnv(ctx context.Context, env []string, keys ...string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"env"}, keys...)...)
	cmd.Dir = os.TempDir()
	cmd.Env = gocmd.Setenv(env, "GOWORK", "off")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("go env: %s", strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, fmt.Errorf("go env: %w", err)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(vals) != len(keys) {
		return nil, fmt.Errorf("go env %s: got %d values", strings.Join(keys, " "), len(vals))
	}
	return vals, nil
}
