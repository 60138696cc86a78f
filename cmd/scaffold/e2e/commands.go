package e2e

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/modproxy"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// commands are the scripts' own commands, beside testscript's.
var commands = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"gateway":   cmdGateway,
	"host":      cmdHost,
	"hostrepo":  cmdHostRepo,
	"fatal":     cmdFatal,
	"onlyfiles": cmdOnlyFiles,
	"replace":   cmdReplace,
	"exits":     cmdExits,
	"tlsserver": cmdTLSServer,
	"builder":   cmdBuilder,
	"reseal":    cmdReseal,
	"many":      cmdMany,
}

// gateway VARIANT NAME: put the example gateway built as VARIANT (glibc,
// musl, arm64, untrimmed) at NAME in the work directory. The build happens
// once, for every test binary of the run (see [testbed.Open]).
func cmdGateway(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gateway VARIANT NAME")
	}
	if testing.Short() {
		ts.Fatalf("gateway: builds the example host; the script should skip in -short mode")
	}
	bin, err := suite.World.Host(args[0])
	ts.Check(err)
	ts.Check(CopyFile(bin, ts.MkAbs(args[1]), 0o755))
}

// host EXAMPLE TARGET NAME: put the example host in examples/EXAMPLE,
// built with its Makefile's TARGET, at NAME in the work directory. The
// build happens once, for every test binary of the run.
func cmdHost(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: host EXAMPLE TARGET NAME")
	}
	if testing.Short() {
		ts.Fatalf("host: builds an example host; the script should skip in -short mode")
	}
	bin, err := suite.World.Build(args[0], args[1])
	ts.Check(err)
	ts.Check(CopyFile(bin, ts.MkAbs(args[2]), 0o755))
}

// hostrepo EXAMPLE VAR: set VAR to the git repository the example host
// examples/EXAMPLE is released from, with the release tagged.
func cmdHostRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: hostrepo EXAMPLE VAR")
	}
	dir, _, err := suite.World.Repo(args[0])
	ts.Check(err)
	ts.Setenv(args[1], dir)
}

// CopyFile copies the file from to a file to, made with mode if new.
func CopyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// exits CODE PROGRAM [ARGS...]: run a program, which must exit with CODE;
// its output is checked with stdout and stderr as after exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// fatal MESSAGE: fail the script.
func cmdFatal(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("%s", strings.Join(args, " "))
}

// onlyfiles NAME...: the work directory holds exactly these entries (and
// testscript's own .tmp), so a failed command is seen to leave nothing
// behind, not even a temporary directory.
func cmdOnlyFiles(ts *testscript.TestScript, neg bool, args []string) {
	entries, err := os.ReadDir(ts.MkAbs("."))
	ts.Check(err)
	var got []string
	for _, e := range entries {
		if e.Name() != ".tmp" {
			got = append(got, e.Name())
		}
	}
	want := slices.Sorted(slices.Values(args))
	if !slices.Equal(got, want) {
		ts.Fatalf("work directory holds %v, want %v", got, want)
	}
}

// replace FILE OLD NEW: replace the one occurrence of OLD in FILE by NEW
// (Go-quoted escapes such as \n and \t are read in both).
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	unquote := func(s string) string {
		u, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
		ts.Check(err)
		return u
	}
	file := ts.MkAbs(args[0])
	data, err := os.ReadFile(file)
	ts.Check(err)
	old, repl := unquote(args[1]), unquote(args[2])
	if n := strings.Count(string(data), old); n != 1 {
		ts.Fatalf("replace: %q occurs %d times in %s, want once", old, n, args[0])
	}
	ts.Check(os.WriteFile(file, []byte(strings.Replace(string(data), old, repl, 1)), 0o644))
}

// reseal LOCK: recompute the digest a scaffold.lock records of its own
// content, as one who edits a lock on purpose would: the SHA-256 of the
// file with the digest's value left empty.
func cmdReseal(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: reseal LOCK")
	}
	file := ts.MkAbs(args[0])
	data, err := os.ReadFile(file)
	ts.Check(err)
	key := []byte(`"digest": "`)
	i := bytes.Index(data, key)
	if i < 0 {
		ts.Fatalf("reseal: %s records no digest", args[0])
	}
	i += len(key)
	j := i + bytes.IndexByte(data[i:], '"')
	blank := slices.Concat(data[:i], data[j:])
	d := fmt.Sprintf("sha256:%x", sha256.Sum256(blank))
	ts.Check(os.WriteFile(file, slices.Concat(data[:i], []byte(d), data[j:]), 0o644))
}

// builder NAME: wait for the builder image NAME, made once and kept
// between runs (see [testbed.BuilderImage]); set buildah's environment to see it,
// GOPROXY_HTTP to the world's module proxy served over HTTP, which a
// container build can reach, and SCAFFOLD_MOUNT to the buildah flags that
// give the build this test's scaffold: the Makefile's build checks the
// pins with it, and a development build is no release a container could
// install. (The builder is this machine's Debian release, whose C library
// the test binary is linked against.)
func cmdBuilder(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: builder NAME")
	}
	if args[0] != builderName {
		ts.Fatalf("builder: only %s is made", builderName)
	}
	b, err := testbed.BuilderImage(args[0])
	ts.Check(err)
	ts.Logf("builder image %s: %s", b.Name, b.Made)
	for _, key := range []string{"CONTAINERS_STORAGE_CONF", "STORAGE_DRIVER", "BUILDAH_ISOLATION"} {
		ts.Setenv(key, gocmd.Getenv(b.Env, key))
	}
	url, err := suite.World.ServeProxy()
	ts.Check(err)
	ts.Setenv("GOPROXY_HTTP", url)
	// The scaffold this package built, never one found on the test's own
	// PATH, which may be another build or none at all.
	if suite.bin == "" {
		ts.Fatalf("builder: no scaffold built for the scripts: run container scripts from an e2e package")
	}
	ts.Setenv("SCAFFOLD_MOUNT", "--volume "+suite.bin+":/opt/scaffold:ro --build-arg SCAFFOLD=/opt/scaffold/scaffold")
}

// many N MANIFEST: serve N modules, example.com/many/m000 to m(N-1), from
// a file proxy in the work directory, put first in GOPROXY, and write as
// MANIFEST the example gateway's release with all N in its build list, as
// a host of that many modules would publish it. Package m000 imports
// every fifth of the others, so that a plugin importing it compiles a
// package of a fifth of them.
func cmdMany(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: many N MANIFEST")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	src, proxy := ts.MkAbs("many-src"), ts.MkAbs("many-proxy")
	m, err := manifest.Load(filepath.Join(suite.World.Examples, "gateway", "releases", "v1.0.0.manifest.yaml"))
	ts.Check(err)
	var srcs []modproxy.Source
	for i := range n {
		path := fmt.Sprintf("example.com/many/m%03d", i)
		dir := filepath.Join(src, fmt.Sprintf("m%03d", i))
		gomod := fmt.Sprintf("module %s\n\ngo 1.21\n", path)
		code := fmt.Sprintf("package m%03d\n\n// N is the module's number.\nfunc N() int { return %d }\n", i, i)
		if i == 0 {
			var reqs, imports, sum []string
			for j := 5; j < n; j += 5 {
				reqs = append(reqs, fmt.Sprintf("\texample.com/many/m%03d v1.0.0\n", j))
				imports = append(imports, fmt.Sprintf("\t\"example.com/many/m%03d\"\n", j))
				sum = append(sum, fmt.Sprintf("m%03d.N()", j))
			}
			gomod += "\nrequire (\n" + strings.Join(reqs, "") + ")\n"
			code = "package m000\n\nimport (\n" + strings.Join(imports, "") + ")\n\n// All adds the numbers of the modules it imports.\nfunc All() int { return " + strings.Join(sum, " + ") + " }\n"
		}
		ts.Check(os.MkdirAll(dir, 0o755))
		ts.Check(os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
		ts.Check(os.WriteFile(filepath.Join(dir, "m.go"), []byte(code), 0o644))
		srcs = append(srcs, modproxy.Source{Version: module.Version{Path: path, Version: "v1.0.0"}, Dir: dir})
	}
	ts.Check(modproxy.Write(proxy, srcs))
	for _, s := range srcs {
		esc, err := module.EscapePath(s.Path)
		ts.Check(err)
		h, err := dirhash.HashZip(filepath.Join(proxy, esc, "@v", "v1.0.0.zip"), dirhash.Hash1)
		ts.Check(err)
		m.Modules = append(m.Modules, manifest.Module{Path: s.Path, Version: s.Version.Version, Sum: h})
	}
	data, err := manifest.Marshal(args[1], m)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
	ts.Setenv("GOPROXY", modproxy.URL(proxy)+","+ts.Getenv("GOPROXY"))
}
