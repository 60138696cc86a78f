// Package e2e runs scaffold's end-to-end scripts: testscript files
// (github.com/rogpeppe/go-internal/testscript), one .txtar per behaviour,
// that run scaffold as its users do and build and load what it makes.
// It holds what every script shares: the example world with its hosts,
// built once for the whole run and kept between runs ([testbed.Open]),
// the builder image ([testbed.BuilderImage]), the scripts' own commands
// (host, gateway, hostrepo, builder, exits, onlyfiles, replace, reseal,
// tlsserver, fatal; see commands.go) and the environment they see.
//
// The scripts are split by area into test packages, so that go test ./...
// runs them as separate test binaries, side by side, none of them long.
// A new script goes where its subject is:
//
//   - cmd/scaffold/testdata/script: every script that runs with -short,
//     building no example host, plugin or image (refusals, usage, exit
//     codes, what scaffold new and upgrade write). The test binary is
//     scaffold itself there (testscript.Main).
//   - e2e/build: a generated repository's own targets, building the
//     plugin (build_*, release, example_*, run_*, and the new_* scripts
//     that build what scaffold new wrote).
//   - e2e/load: plugins loaded into the example gateway's builds (glibc,
//     musl, arm64) and what scaffold check says of them (e2e_glibc,
//     e2e_musl, e2e_arm64, e2e_control, check_*).
//   - e2e/contract: the other kinds of host contract, loaded for real:
//     symbol sets, handlers, implementers, hosts whose plugins import
//     their main module from a workspace (e2e_handlers, e2e_symbols,
//     e2e_workspace*, ...).
//   - e2e/container: the generated Dockerfiles built with buildah in the
//     builder image (e2e_container_*).
//   - e2e/manifest: scaffold manifest on built hosts (manifest_*).
//   - e2e/onboard: a plugin made from what a host releases when it
//     publishes no manifest: its binary, its image, its own module through
//     the module proxy, loaders it wraps (e2e_from_*, e2e_host_from_*,
//     e2e_wrapped_loaders).
//   - e2e/upgrade: scaffold upgrade of built plugins (upgrade_*).
//   - e2e/targets: a repository built for several host releases, each
//     built, loaded into its own host and checked (target_*).
//
// A script in an e2e package starts with [short] skip: under -short its
// package builds no scaffold, and an exec of scaffold fails. A script of
// no area above goes where the hosts it builds are. An area whose package
// nears five minutes on an idle two-core machine is split in two, by
// subject (no package may take ten).
//
// Each e2e package runs a scaffold built from cmd/scaffold once per test
// binary, first on the scripts' PATH; -update rewrites a package's
// scripts' expected output, as in cmd/scaffold.
package e2e

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/tools/txtar"

	"github.com/scaffold-dev/scaffold/internal/testbed"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script")

// A Suite is what the scripts of a test binary share, set up once before
// its tests run.
type Suite struct {
	// World is the shared example world.
	World *testbed.World
	// GoCache is the build cache scripts share with the rest of the run,
	// so that the standard library is compiled once per set of flags.
	GoCache string

	// bin is the directory of the scaffold scripts run, first on their
	// PATH; empty where the test binary is scaffold itself.
	bin string
}

// suite is this test binary's, from [Main] or [Tests].
var suite *Suite

// Main runs the tests of an e2e package, whose scripts run a scaffold
// built from cmd/scaffold, and returns the exit code: its TestMain is
// os.Exit(e2e.Main(m)).
func Main(m *testing.M) int {
	return testbed.RunTests(m, func(w *testbed.World) error {
		s, err := setUp(w)
		if err != nil {
			return err
		}
		s.bin = filepath.Join(w.Scratch, "bin")
		if testing.Short() {
			return refuseScaffold(s.bin)
		}
		return buildScaffold(s.bin)
	})
}

// refuseScaffold writes into dir, under -short, a scaffold that fails
// saying why: a script that would run it lacks its [short] skip, and must
// not run a scaffold installed elsewhere on PATH instead.
func refuseScaffold(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	script := "#!/bin/sh\necho 'scaffold: not built under -short: a script of an e2e package starts with [short] skip' >&2\nexit 127\n"
	return os.WriteFile(filepath.Join(dir, "scaffold"), []byte(script), 0o755)
}

// Tests sets the suite up around m's tests, for a test binary that is
// scaffold itself (testscript.Main), and hands it to set, for the
// binary's other tests.
func Tests(m testscript.TestingM, set func(*Suite)) testscript.TestingM {
	return tests{m, set}
}

type tests struct {
	m   testscript.TestingM
	set func(*Suite)
}

func (t tests) Run() int {
	return testbed.RunTests(t.m, func(w *testbed.World) error {
		s, err := setUp(w)
		if err == nil && t.set != nil {
			t.set(s)
		}
		return err
	})
}

func setUp(w *testbed.World) (*Suite, error) {
	flag.Parse() // for testing.Short
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOCACHE: %w", err)
	}
	suite = &Suite{World: w, GoCache: strings.TrimSpace(string(out))}
	return suite, nil
}

// buildScaffold builds scaffold into dir as a checkout's build is: no VCS
// stamps, so its version is (devel), as the test binary's is; with -race
// when this test binary has it.
func buildScaffold(dir string) error {
	args := []string{"build", "-buildvcs=false", "-o", filepath.Join(dir, "scaffold")}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	args = append(args, "github.com/scaffold-dev/scaffold/cmd/scaffold")
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("building scaffold: %v\n%s", err, out)
	}
	return nil
}

// statSources looks, from within a test, at every file of this module that
// scaffold and the example world are built from. The go command caches a
// test's result by what the test binary read while its tests ran, and
// both are built before they run, scaffold by a child process: without
// these looks, a changed scaffold or example would get a cached result.
func statSources() error {
	const files = `{{if and .Module .Module.Main}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}
{{end}}{{end}}`
	out, err := exec.Command("go", "list", "-deps", "-f", files, "github.com/scaffold-dev/scaffold/cmd/scaffold").Output()
	if err != nil {
		return fmt.Errorf("listing scaffold's sources: %w", err)
	}
	for _, f := range strings.Fields(string(out)) {
		if _, err := os.Stat(f); err != nil {
			return err
		}
	}
	// The example hosts too, which the world is built from before the
	// tests run.
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return fmt.Errorf("finding the module's directory: %w", err)
	}
	return filepath.WalkDir(filepath.Join(strings.TrimSpace(string(root)), "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		_, err = os.Stat(path)
		return err
	})
}

// Run runs the test binary's scripts, in testdata/script, and fails on
// any not in its place (see [checkPlace]).
func Run(t *testing.T) {
	checkPlace(t, "testdata/script")
	if suite.bin != "" && !testing.Short() {
		if err := statSources(); err != nil {
			t.Fatal(err)
		}
	}
	testscript.Run(t, Params("testdata/script"))
}

// skipsShort matches a script's [short] skip line.
var skipsShort = regexp.MustCompile(`(?m)^\[short\] skip\b`)

// checkPlace fails t for each script in dir that is not where the
// package's doc puts it: one that skips under -short builds something,
// and belongs in an e2e package, every script of which skips under
// -short.
func checkPlace(t *testing.T, dir string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no scripts in %s", dir)
	}
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		skips := skipsShort.Match(a.Comment)
		switch {
		case suite.bin == "" && skips:
			t.Errorf("%s skips under -short, so it builds a host, plugin or image: move it to its area's package under cmd/scaffold/e2e (see package e2e)", file)
		case suite.bin != "" && !skips:
			t.Errorf("%s has no [short] skip: a script that builds nothing belongs in cmd/scaffold/testdata/script; one that builds starts with [short] skip", file)
		}
	}
}

// Params are the parameters scripts in dir run with.
func Params(dir string) testscript.Params {
	return testscript.Params{
		Dir:                 dir,
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup:               setup,
		Condition:           condition,
		Cmds:                commands,
	}
}

// setup gives a script the world's module proxy and module cache, the
// shared build cache, the examples directory as $EXAMPLES, CI, and
// scaffold on PATH.
func setup(e *testscript.Env) error {
	for _, key := range []string{"GOPROXY", "GOMODCACHE", "GOFLAGS", "GONOSUMDB"} {
		e.Setenv(key, suite.World.Getenv(key))
	}
	e.Setenv("GOCACHE", suite.GoCache)
	e.Setenv("EXAMPLES", suite.World.Examples)
	e.Setenv("CI", os.Getenv("CI"))
	if suite.bin != "" {
		e.Setenv("PATH", suite.bin+string(os.PathListSeparator)+e.Getenv("PATH"))
	}
	return nil
}

// condition answers a script's [ci] and [builder].
func condition(cond string) (bool, error) {
	switch cond {
	case "ci":
		return os.Getenv("CI") == "true", nil
	case "builder":
		return builderMissing() == "", nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// builderName is the builder image the container scripts build in: the
// example gateway's glibc builder, which a Debian-family musl builder can
// be too.
const builderName = "docker.io/library/golang:1.26.8-bookworm"

// StartBuilder starts making the builder image while the scripts run,
// unless under -short or where it cannot be made: from nothing it takes
// minutes. The TestMain of a package whose scripts ask for it (builder)
// calls it first.
func StartBuilder() {
	flag.Parse()
	if testing.Short() || builderMissing() != "" {
		return
	}
	// The error is the scripts' to report, when they ask for the image.
	go func() { _, _ = testbed.BuilderImage(builderName) }()
}

// builderMissing says what this machine lacks to make the builder image,
// or "".
func builderMissing() string {
	if os.Geteuid() != 0 {
		return "not root, which debootstrap needs"
	}
	for _, tool := range testbed.BuilderTools {
		if _, err := exec.LookPath(tool); err != nil {
			return tool + " not found"
		}
	}
	return ""
}
