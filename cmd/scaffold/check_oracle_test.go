package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaffold-dev/scaffold/internal/compat"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/release"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// An oracleCase is one way of building a plugin for the example gateway.
type oracleCase struct {
	name string
	// build builds the plugin in dir, a copy of the generated repository,
	// and returns the built file.
	build func(t *testing.T, dir string) string
	// host builds the host to load into; nil for the gateway's release
	// build.
	host func(t *testing.T) string
	// loads is what plugin.Open is known to do with this build; the test
	// holds the gateway to it too, so that no case silently stops testing
	// what it is named for.
	loads bool
	// cause must match a line of scaffold check's report (a mismatch when
	// the plugin does not load, a warning when it does); empty when the
	// report must have neither.
	cause string
	// matchesManifest is scaffold check's verdict against the manifest
	// alone, which sees build info but no compiled package.
	matchesManifest bool
	musl            bool
	// untrimmed checks against the gateway built without -trimpath, with
	// its own manifest and generated repository.
	untrimmed bool
}

// TestCheckOracle builds plugins for the example gateway in many ways, each
// for real, and holds scaffold check's verdict to the gateway's own: the
// gateway calls plugin.Open on each plugin and exits non-zero when it
// fails. Its report must name the real difference.
func TestCheckOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example gateway and a dozen plugins")
	}
	host, err := world.Host(testbed.Glibc)
	if err != nil {
		t.Fatal(err)
	}
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	m, err := manifest.Load(manifestFile)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	repo := filepath.Join(root, "hello")
	_, err = generator.Generate(context.Background(), generator.Options{
		Name:     "hello",
		Module:   "example.com/hello",
		Libc:     []string{manifest.Glibc, manifest.Musl},
		Manifest: m,
		Env:      world.Env,
	}, repo)
	if err != nil {
		t.Fatal(err)
	}

	// make builds with the generated Makefile; the artifact's name says
	// which libc it was built for.
	build := func(t *testing.T, dir string, args ...string) string {
		t.Helper()
		runIn(t, dir, world.Env, "make", append([]string{"--no-print-directory", "build"}, args...)...)
		libc := "glibc"
		for _, a := range args {
			if a == "LIBC=musl" {
				libc = "musl"
			}
		}
		return filepath.Join(dir, "dist", "hello_v0.1.0_gateway-v1.0.0_linux_amd64_"+libc+".so")
	}
	flags := func(extra string) string {
		return "BUILD_FLAGS=-buildmode=plugin -trimpath -tags=gateway " + extra
	}
	env := append(world.Env[:len(world.Env):len(world.Env)], "GONOSUMDB=example.com/*", "GOFLAGS=-mod=mod")

	cases := []oracleCase{{
		name:            "matching build",
		build:           func(t *testing.T, dir string) string { return build(t, dir) },
		loads:           true,
		matchesManifest: true,
	}, {
		name: "without -trimpath",
		build: func(t *testing.T, dir string) string {
			return build(t, dir, "BUILD_FLAGS=-buildmode=plugin -tags=gateway")
		},
		cause: `^-trimpath: host on, plugin off: add -trimpath to the plugin build$`,
	}, {
		name:  "with -race",
		build: func(t *testing.T, dir string) string { return build(t, dir, flags("-race")) },
		cause: `^-race: host off, plugin on: remove -race from the plugin build$`,
	}, {
		// A tag no shared package looks at changes none of them: the
		// gateway loads the plugin, and check says so, with a warning.
		name: "with an extra build tag no package uses",
		build: func(t *testing.T, dir string) string {
			return build(t, dir, "BUILD_FLAGS=-buildmode=plugin -trimpath -tags=gateway,extra")
		},
		loads: true,
		cause: `^-tags: host gateway, plugin extra,gateway: build with -tags=gateway$`,
	}, {
		// faketime selects other files of package runtime.
		name: "with an extra build tag the runtime uses",
		build: func(t *testing.T, dir string) string {
			return build(t, dir, "BUILD_FLAGS=-buildmode=plugin -trimpath -tags=gateway,faketime")
		},
		cause: `^-tags: host gateway, plugin faketime,gateway: build with -tags=gateway$`,
	}, {
		name:  "with -gcflags=all=-N -l",
		build: func(t *testing.T, dir string) string { return build(t, dir, flags("'-gcflags=all=-N -l'")) },
		cause: `^-gcflags: host none, plugin "all=-N -l": remove -gcflags from the plugin build$`,
	}, {
		// go1.26.7 compiles every package the two share to the same
		// export data as go1.26.8: the runtime accepts the plugin.
		name:  "with Go go1.26.7",
		build: func(t *testing.T, dir string) string { return build(t, dir, "GO_VERSION=go1.26.7") },
		loads: true,
		cause: `^Go release: host go1.26.8, plugin go1.26.7: build with GOTOOLCHAIN=go1.26.8$`,
	}, {
		name: "with example.com/textkit one version higher",
		build: func(t *testing.T, dir string) string {
			runIn(t, dir, env, "go", "get", "example.com/textkit@v1.2.0")
			// The Makefile's own pins check would stop this build;
			// skipped (make -o pins), it makes the plugin the host refuses.
			return build(t, dir, "-o", "pins")
		},
		cause: `^module example.com/textkit: host v1.1.0, plugin v1.2.0: pin example.com/textkit to v1.1.0: make get MODULE=example.com/textkit@v1.1.0 \(or go get example.com/textkit@v1.1.0 outside a scaffold repository\)$`,
	}, {
		name:            "into a host built with the SDK from a workspace",
		build:           func(t *testing.T, dir string) string { return build(t, dir) },
		host:            workspaceHost,
		cause:           `^module example.com/gateway/sdk: host \(devel\) from a workspace, plugin v1\.0\.0: the host must be built with example.com/gateway/sdk as a published, versioned module`,
		matchesManifest: true,
	}, {
		name:            "linked against musl",
		build:           func(t *testing.T, dir string) string { return build(t, dir, "LIBC=musl") },
		cause:           `^libc: host glibc, plugin musl: link the plugin against glibc`,
		matchesManifest: true, // the release ships for musl too
		musl:            true,
	}, {
		// musl's loader takes glibc's libc.so.6 for itself: the musl build
		// of the gateway loads a glibc plugin, and check says it does,
		// with a warning.
		name:            "linked against glibc, into the gateway's musl build",
		build:           func(t *testing.T, dir string) string { return build(t, dir) },
		host:            muslHost,
		loads:           true,
		cause:           `^libc: host musl, plugin glibc: it loads only through musl's glibc compatibility`,
		matchesManifest: true,
		musl:            true,
	}, {
		// The plugin's own code needs a newer CPU, but no shared package
		// compiles differently: it loads on this machine.
		name:  "with GOAMD64=v3",
		build: func(t *testing.T, dir string) string { return build(t, dir, "GOAMD64=v3") },
		loads: true,
		cause: `^GOAMD64: host v1, plugin v3: build with GOAMD64=v1`,
	}, {
		name: "from a vendored tree",
		build: func(t *testing.T, dir string) string {
			runIn(t, dir, env, "go", "mod", "vendor")
			return build(t, dir, "GOFLAGS=-mod=vendor")
		},
		loads:           true,
		matchesManifest: true,
	}, {
		name: "from a vendored tree with an edited copy",
		build: func(t *testing.T, dir string) string {
			runIn(t, dir, env, "go", "mod", "vendor")
			edit(t, filepath.Join(dir, "vendor", "example.com", "textkit", "textkit.go"), "\nfunc ", "\n// Edited.\nfunc ")
			return build(t, dir, "GOFLAGS=-mod=vendor")
		},
		cause:           `^vendored module example.com/textkit: host v1.1.0 from the module cache, plugin v1.1.0 from vendor/, edited: restore the vendored copy with go mod vendor, or build with -mod=mod$`,
		matchesManifest: true, // build info cannot show the edit
	}, {
		name: "without the symbol the gateway looks up",
		build: func(t *testing.T, dir string) string {
			edit(t, filepath.Join(dir, "plugin.go"), "var Plugin sdk.Plugin", "var Plugins sdk.Plugin")
			return build(t, dir)
		},
		cause: `^symbol Plugin: host looks it up, plugin does not export it: declare it in the plugin's package main: var Plugin sdk.Plugin = \.\.\.$`,
	}, {
		// Without -trimpath the host compiled its module cache's path
		// into its packages; the generated Makefile builds from the same.
		name:            "into a host built without -trimpath",
		build:           func(t *testing.T, dir string) string { return build(t, dir) },
		untrimmed:       true,
		loads:           true,
		matchesManifest: true,
	}, {
		name: "from another module cache, into a host built without -trimpath",
		build: func(t *testing.T, dir string) string {
			other := filepath.Join(world.Scratch, "other-modcache")
			// The Makefile refuses, naming the host's path; with that
			// guard set to the other path too, it makes the plugin the
			// host refuses.
			out := runFailing(t, dir, world.Env, "make", "--no-print-directory", "build", "GOMODCACHE="+other)
			if want := "build with GOMODCACHE=" + world.Getenv("GOMODCACHE"); !strings.Contains(out, want) {
				t.Errorf("make build GOMODCACHE=%s says:\n%s\nwant it to say %q", other, out, want)
			}
			return build(t, dir, "GOMODCACHE="+other, "HOST_GOMODCACHE="+other)
		},
		untrimmed: true,
		cause:     `^GOMODCACHE: host /\S+/modcache, plugin /\S+/other-modcache: build with GOMODCACHE=/\S+/modcache `,
	}, {
		// Some linkers leave a plugin's Go symbol table among its
		// read-only data, without a section of its own: the module
		// cache's path is read from the table found there.
		name: "with its symbol table among its data, into a host built without -trimpath",
		build: func(t *testing.T, dir string) string {
			so := build(t, dir)
			runIn(t, dir, nil, "objcopy", "--rename-section", ".gopclntab=.data.rel.ro.pcln", so)
			return so
		},
		untrimmed:       true,
		loads:           true,
		matchesManifest: true,
	}}

	var mu sync.Mutex
	var table []string
	t.Cleanup(func() {
		t.Logf("scenario | plugin.Open | check --host | check --manifest | cause\n%s", strings.Join(table, "\n"))
	})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.musl {
				if _, err := exec.LookPath("musl-gcc"); err != nil {
					if os.Getenv("CI") == "true" {
						t.Fatal("musl-gcc not found, and CI=true: .ci/run must install musl-tools")
					}
					t.Skip("musl-gcc not found: install musl-tools to run this case")
				}
			}
			dir := filepath.Join(root, strings.NewReplacer(" ", "-", "/", "-").Replace(c.name))
			h, mf, from := host, manifestFile, repo
			if c.untrimmed {
				h, mf, from = untrimmedRelease(t)
			}
			runIn(t, root, nil, "cp", "-r", from, dir)
			so := c.build(t, dir)
			if c.host != nil {
				h = c.host(t)
			}

			loads, openMsg := loadInGateway(t, h, so)
			if loads != c.loads {
				t.Fatalf("the gateway loads the plugin: %v, want %v (%s)", loads, c.loads, openMsg)
			}
			rep, text := checkPlugin(t, "--host", h, "--manifest", mf, so)
			if rep.Compatible != loads {
				t.Errorf("scaffold check says compatible: %v; plugin.Open says %s\n%s", rep.Compatible, openMsg, text)
			}
			lines := rep.Mismatches
			if loads {
				lines = rep.Warnings
				if len(rep.Mismatches) > 0 {
					t.Errorf("a loading plugin has mismatches:\n%s", text)
				}
			}
			cause := ""
			if c.cause == "" {
				if len(rep.Mismatches)+len(rep.Warnings) > 0 {
					t.Errorf("want a report without mismatches or warnings:\n%s", text)
				}
			} else {
				re := regexp.MustCompile(c.cause)
				for _, l := range lines {
					if re.MatchString(l.String()) {
						cause = l.String()
					}
				}
				if cause == "" {
					t.Errorf("no line of the report matches %s:\n%s", c.cause, text)
				}
			}
			if !loads && len(rep.Mismatches) == 0 {
				t.Errorf("an incompatible plugin with no cause line:\n%s", text)
			}
			mrep, mtext := checkPlugin(t, "--manifest", mf, so)
			if mrep.Compatible != c.matchesManifest {
				t.Errorf("against the manifest alone: compatible %v, want %v\n%s", mrep.Compatible, c.matchesManifest, mtext)
			}
			if c.untrimmed {
				// make check holds the plugin to the repository's lock,
				// as the generated CI does.
				makeCheck(t, dir, c.matchesManifest, c.cause)
			}

			mu.Lock()
			defer mu.Unlock()
			table = append(table, fmt.Sprintf("%s | %s | %s | %s | %s", c.name, openMsg, verdict(rep.Compatible), verdict(mrep.Compatible), cause))
		})
	}
}

func verdict(ok bool) string {
	if ok {
		return "compatible"
	}
	return "incompatible"
}

// loadInGateway runs the gateway with a configuration naming the plugin
// and tells whether plugin.Open (and the lookup of its symbol) succeeded,
// with the gateway's first line of output.
func loadInGateway(t *testing.T, host, so string) (bool, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf(`{"plugins": [{"name": "hello", "path": %q, "enabled": true}]}`, so)
	if err := os.WriteFile(filepath.Join(dir, "gateway.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, host, "-config", filepath.Join(dir, "gateway.json"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	first, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running the gateway: %v", err)
	}
	if err == nil {
		return true, "loads"
	}
	// Keep the reason, without the file's path.
	if i := strings.LastIndex(first, "): "); i >= 0 {
		first = first[i+3:]
	}
	return false, "refused: " + first
}

// checkPlugin runs scaffold check in this process with --json and returns
// the plugin's report and the text of the same check.
func checkPlugin(t *testing.T, args ...string) (*compat.Report, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newRootCmd()
	cmd.SetArgs(append([]string{"check", "--json"}, args...))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	var res struct {
		Compatible bool
		Plugins    []pluginResult
	}
	if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil || len(res.Plugins) != 1 || res.Plugins[0].Report == nil {
		t.Fatalf("scaffold check %s: %v %v\n%s%s", strings.Join(args, " "), err, jerr, out.String(), errOut.String())
	}
	code := exitCompatible
	var ec exitCoder
	if errors.As(err, &ec) {
		code = ec.ExitCode()
	} else if err != nil {
		t.Fatalf("scaffold check: %v", err)
	}
	rep := res.Plugins[0].Report
	if want := map[bool]int{true: exitCompatible, false: exitIncompatible}[rep.Compatible]; code != want {
		t.Errorf("scaffold check exited with %d, want %d", code, want)
	}
	var text strings.Builder
	if err := rep.WriteText(&text, "the host"); err != nil {
		panic(err) // a strings.Builder does not fail
	}
	return rep, text.String()
}

// muslHost is the gateway's musl build, linked against musl by musl-gcc.
func muslHost(t *testing.T) string {
	t.Helper()
	h, err := world.Host(testbed.Musl)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// workspaceHost builds the gateway in a Go workspace holding the SDK's
// source, as a host maintainer working on both might: its build info
// records the SDK as (devel). Built once per test binary.
var workspaceHost = func() func(t *testing.T) string {
	var once sync.Once
	var path string
	var err error
	return func(t *testing.T) string {
		once.Do(func() {
			dir := filepath.Join(world.Scratch, "workspace-host")
			env := append(world.Env[:len(world.Env):len(world.Env)], "GONOSUMDB=example.com/*")
			steps := [][]string{
				{"mkdir", "-p", dir},
				{"cp", "-r", filepath.Join(world.Examples, "gateway"), filepath.Join(dir, "gateway")},
				{"cp", "-r", filepath.Join(world.Examples, "modules", "example.com", "gateway", "sdk@v1.0.0"), filepath.Join(dir, "sdk")},
			}
			for _, s := range steps {
				if out, e := exec.Command(s[0], s[1:]...).CombinedOutput(); e != nil {
					err = fmt.Errorf("%s: %v\n%s", strings.Join(s, " "), e, out)
					return
				}
			}
			gw := filepath.Join(dir, "gateway")
			for _, s := range [][]string{{"go", "work", "init", ".", "../sdk"}, {"make", "build", "OUT=" + filepath.Join(dir, "gateway-ws")}} {
				cmd := exec.Command(s[0], s[1:]...)
				cmd.Dir, cmd.Env = gw, env
				if out, e := cmd.CombinedOutput(); e != nil {
					err = fmt.Errorf("%s: %v\n%s", strings.Join(s, " "), e, out)
					return
				}
			}
			path = filepath.Join(dir, "gateway-ws")
		})
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
}()

// untrimmedRelease builds the gateway without -trimpath, writes its
// release manifest with scaffold manifest's code, and generates the hello
// plugin's repository for it: the host, the manifest file and the
// repository. Built once per test binary.
var untrimmedRelease = func() func(t *testing.T) (host, manifestFile, repo string) {
	var once sync.Once
	var host, manifestFile, repo string
	var err error
	return func(t *testing.T) (string, string, string) {
		once.Do(func() {
			if host, err = world.Host(testbed.Untrimmed); err != nil {
				return
			}
			var base *manifest.Manifest
			var set map[string]bool
			if base, set, err = manifest.ReadBase(filepath.Join(world.Examples, "gateway", "manifest.base.yaml")); err != nil {
				return
			}
			var m *manifest.Manifest
			m, _, err = release.Build(context.Background(), release.Options{Binary: host, Base: base, BaseSet: set, HostVersion: "v1.0.0", Env: world.Env})
			if err != nil {
				return
			}
			if m.Build.GOMODCACHE != world.Getenv("GOMODCACHE") {
				err = fmt.Errorf("the manifest records build.gomodcache %q, want the world's %q", m.Build.GOMODCACHE, world.Getenv("GOMODCACHE"))
				return
			}
			dir := filepath.Join(world.Scratch, "untrimmed")
			manifestFile = filepath.Join(dir, "gateway-v1.0.0.manifest.yaml")
			var data []byte
			if data, err = manifest.Marshal(manifestFile, m); err != nil {
				return
			}
			if err = os.MkdirAll(dir, 0o755); err != nil {
				return
			}
			if err = os.WriteFile(manifestFile, data, 0o644); err != nil {
				return
			}
			repo = filepath.Join(dir, "hello")
			_, err = generator.Generate(context.Background(), generator.Options{
				Name:     "hello",
				Module:   "example.com/hello",
				Libc:     []string{manifest.Glibc},
				Manifest: m,
				Env:      world.Env,
			}, repo)
		})
		if err != nil {
			t.Fatal(err)
		}
		return host, manifestFile, repo
	}
}()

// makeCheck runs make check in a plugin's repository, which must pass
// when compatible, and else fail with a line matching cause.
func makeCheck(t *testing.T, dir string, compatible bool, cause string) {
	t.Helper()
	cmd := exec.Command("make", "--no-print-directory", "check")
	cmd.Dir, cmd.Env = dir, world.Env
	out, err := cmd.CombinedOutput()
	if compatible != (err == nil) {
		t.Fatalf("make check: %v, want it to pass: %v\n%s", err, compatible, out)
	}
	if !compatible && !regexp.MustCompile("(?m)^  "+strings.TrimPrefix(cause, "^")).Match(out) {
		t.Errorf("make check says:\n%s\nwant a line matching %s", out, cause)
	}
}

// runFailing runs a command that must fail and returns its output.
func runFailing(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("%s %s succeeded, want it to fail:\n%s", name, strings.Join(args, " "), out)
	}
	return string(out)
}

// runIn runs a command in dir; env nil means the test's own.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// edit replaces the first old in file with new.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not hold %q", file, old)
	}
	// go mod vendor may copy read-only files from the module cache.
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}
