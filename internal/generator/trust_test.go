package generator

import (
	"archive/zip"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// plantToolchain writes a module proxy directory serving the Go release
// version as the go command downloads it (golang.org/toolchain), whose go
// command only creates marker and fails.
func plantToolchain(t *testing.T, version, marker string) string {
	t.Helper()
	dir := t.TempDir()
	v := "v0.0.1-" + version + "." + runtime.GOOS + "-" + runtime.GOARCH
	at := filepath.Join(dir, "golang.org", "toolchain", "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"list":      v + "\n",
		v + ".info": `{"Version":"` + v + `","Time":"2026-01-01T00:00:00Z"}`,
		v + ".mod":  "module golang.org/toolchain\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(at, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(at, v+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, data := range map[string]string{
		"bin/go":    "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n",
		"bin/gofmt": "#!/bin/sh\nexit 1\n",
		"pkg/tool/" + runtime.GOOS + "_" + runtime.GOARCH + "/compile": "#!/bin/sh\nexit 1\n",
		"lib/README": "the directories the go command sets modes in\n",
	} {
		w, err := zw.Create("golang.org/toolchain@" + v + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return "file://" + filepath.ToSlash(dir)
}

// TestPlantedToolchainNeverRuns gives scaffold new a manifest that names a
// Go release only a file:// proxy of its choosing serves, and exempts the
// toolchain module from the checksum database: the go command would
// download that "Go release" unverified and run it. The manifest is
// refused, naming both fields, and the planted go command never runs. The
// same proxy chosen in the author's own environment does run it, which
// shows the plant would work.
func TestPlantedToolchainNeverRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	marker := filepath.Join(t.TempDir(), "planted-go-ran")
	proxy := plantToolchain(t, "go1.26.99", marker)
	env := gocmd.Setenv(world.Env, "GOMODCACHE", t.TempDir())
	for _, tt := range []struct {
		name  string
		proxy manifest.Proxy
		want  []string
	}{
		{"proxy and gonosumdb", manifest.Proxy{GOPROXY: proxy, GONOSUMDB: []string{manifest.ToolchainModule}}, []string{"proxy.goproxy", "proxy.gonosumdb[0]"}},
		{"proxy alone", manifest.Proxy{GOPROXY: proxy}, []string{"proxy.goproxy"}},
		{"goprivate", manifest.Proxy{GOPROXY: proxy + ",https://proxy.golang.org", GOPRIVATE: []string{"golang.org/toolchain"}}, []string{"proxy.goproxy", "proxy.goprivate[0]"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := helloWorld(t)
			o.Manifest.Go = "go1.26.99"
			o.Manifest.Proxy = tt.proxy
			o.Env = env
			_, err := Generate(context.Background(), o, filepath.Join(t.TempDir(), "p"))
			if _, serr := os.Stat(marker); serr == nil {
				os.Remove(marker)
				t.Fatalf("the planted go command ran (Generate: %v)", err)
			}
			var p *manifest.Problems
			if !errors.As(err, &p) {
				t.Fatalf("Generate: %v, want the manifest refused", err)
			}
			for _, field := range tt.want {
				if !slices.ContainsFunc(p.List, func(q manifest.Problem) bool { return q.Path == field }) {
					t.Errorf("Generate: %v, want a problem with %s", err, field)
				}
			}
		})
	}
	// The same settings as the author's own choice, in the environment:
	// the go command takes a lone file:// proxy's toolchain as GONOSUMDB
	// says, and runs it.
	cmd := exec.Command("go", "version")
	cmd.Dir = t.TempDir()
	cmd.Env = gocmd.Setenv(gocmd.Setenv(gocmd.Setenv(env, "GOPROXY", proxy), "GONOSUMDB", manifest.ToolchainModule), "GOTOOLCHAIN", "go1.26.99")
	out, _ := cmd.CombinedOutput()
	if _, err := os.Stat(marker); err != nil {
		t.Logf("%s", out)
		t.Errorf("the planted toolchain did not run from a proxy of the environment either: the test plants nothing the go command would run")
	}
}

// TestWildcardRefusedBeforeFetch gives scaffold new a manifest that
// exempts every module from the checksum database ("*") and names an https
// proxy of its own: it is refused before a single connection is made to
// that proxy.
func TestWildcardRefusedBeforeFetch(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	defer srv.Close()
	for _, patterns := range [][]string{{"*"}, {"example.com/gateway/sdk", "*"}, {"*/*"}, {"example.com/*"}} {
		o := helloWorld(t)
		o.Manifest.Proxy = manifest.Proxy{GOPROXY: srv.URL, GONOSUMDB: patterns}
		o.Env = gocmd.Setenv(world.Env, "GOMODCACHE", t.TempDir())
		_, err := Generate(context.Background(), o, filepath.Join(t.TempDir(), "p"))
		var p *manifest.Problems
		if !errors.As(err, &p) || !slices.ContainsFunc(p.List, func(q manifest.Problem) bool { return q.Path == "proxy.gonosumdb[0]" || q.Path == "proxy.gonosumdb[1]" }) {
			t.Errorf("gonosumdb %q: Generate: %v, want the pattern refused", patterns, err)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("the manifest's proxy was connected to %d times", n)
	}
}

// TestGeneratedSettingsExemptNothing reads what every generated file
// sets of the go command's module settings, for every example release and
// for one with every proxy setting: nothing turns off or weakens the
// checksum database (GOSUMDB, GONOSUMCHECK, GOINSECURE, -insecure), GOFLAGS
// holds only scaffold's own flags, and the private patterns and the proxy
// are the manifest's, after the author's own.
func TestGeneratedSettingsExemptNothing(t *testing.T) {
	files, err := examplefiles.Manifests()
	if err != nil {
		t.Fatal(err)
	}
	var releases []*manifest.Manifest
	for _, f := range files {
		m, err := manifest.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, m)
	}
	all := exampleManifest(t)
	all.Proxy = manifest.Proxy{GOPROXY: "https://proxy.example.com,direct", GONOSUMDB: []string{"example.com/gateway/sdk"},
		GOPRIVATE: []string{"example.com/textkit"}, GONOPROXY: []string{"example.com/gateway"}}
	releases = append(releases, all)
	flags := map[string]bool{"-mod=readonly -buildvcs=false": true, "-mod=mod": true, "": true}
	goflags := regexp.MustCompile(`GOFLAGS(?: *:= *| ?=)([^ )"'\n]*(?: -[^ )"'\n]+)*)`)
	for _, m := range releases {
		o := exampleOptions(m)
		tree, err := Render(&o)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"GONOSUMDB": strings.Join(m.Proxy.GONOSUMDB, ","),
			"GOPRIVATE": strings.Join(m.Proxy.GOPRIVATE, ","),
			"GONOPROXY": strings.Join(m.Proxy.GONOPROXY, ","),
		}
		for _, p := range tree.Paths() {
			text := string(tree[p])
			for _, bad := range []string{"GOSUMDB", "GONOSUMCHECK", "GOINSECURE", "-insecure", "GOSUMDB=off"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s %s: %s says %s", m.Host.Name, m.Host.Version, p, bad)
				}
			}
			found := goflags.FindAllStringSubmatch(text, -1)
			// The builds' flags, and none for installing scaffold; make
			// tidy and make get have scaffold pins run go with -mod=mod.
			if p == "Makefile" && len(found) < 2 {
				t.Errorf("%s %s: the Makefile sets GOFLAGS %d times, fewer than it does", m.Host.Name, m.Host.Version, len(found))
			}
			for _, f := range found {
				if !flags[f[1]] {
					t.Errorf("%s %s: %s sets GOFLAGS to %q", m.Host.Name, m.Host.Version, p, f[1])
				}
			}
			for key, patterns := range want {
				re := regexp.MustCompile(`(?m)^export ` + key + ` +:= (.*)$`)
				for _, line := range re.FindAllStringSubmatch(text, -1) {
					if got := strings.TrimPrefix(line[1], "$("+key+")$(if $("+key+"),$(COMMA))"); got != patterns {
						t.Errorf("%s %s: %s sets %s to %q, want the author's own and then %q", m.Host.Name, m.Host.Version, p, key, line[1], patterns)
					}
				}
				if patterns != "" && p == "Makefile" && !re.MatchString(text) {
					t.Errorf("%s %s: the Makefile does not set %s", m.Host.Name, m.Host.Version, key)
				}
			}
			if g := regexp.MustCompile(`(?m)^export GOPROXY +:= (.*)$`).FindStringSubmatch(text); g != nil && g[1] != m.Proxy.GOPROXY {
				t.Errorf("%s %s: %s sets GOPROXY to %q, want the manifest's %q", m.Host.Name, m.Host.Version, p, g[1], m.Proxy.GOPROXY)
			}
		}
	}
}
