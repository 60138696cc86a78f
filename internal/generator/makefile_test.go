package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// renderRepo renders the hello-world repository into a new directory.
func renderRepo(t *testing.T) string {
	t.Helper()
	o := helloWorld(t)
	dir, _ := renderRepoWith(t, &o)
	return dir
}

// renderRepoWith renders the repository o describes into a new directory,
// and returns the directory and the rendered tree.
func renderRepoWith(t *testing.T, o *Options) (string, map[string][]byte) {
	t.Helper()
	tree, err := Render(o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for p, data := range tree {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, tree
}

// TestMakefileHostileValues runs the generated Makefile with values, on
// its command line and in its environment, that would remove or write
// outside the repository or run a command of their own: each is refused
// naming its variable, or reaches its command quoted. No file named pwned
// ever appears, and the directory outside the repository is left alone.
func TestMakefileHostileValues(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	repo := renderRepo(t)
	artifact := "hello-world_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so"
	if out, err := exec.Command("uname", "-m").Output(); err != nil || strings.TrimSpace(string(out)) != "x86_64" {
		t.Skip("the artifact's name below is an amd64 machine's")
	}
	// Each payload runs "touch pwned" if it reaches a shell unquoted, in
	// double quotes or in single quotes.
	payloads := []string{"x';touch pwned;'", `x";touch pwned;"`, "x$$(touch pwned)", "x`touch pwned`", "x;touch pwned", "x\ntouch pwned"}
	type run struct {
		name string
		args []string // on make's command line
		env  []string
		// refused is what make must say on standard error, failing; ""
		// when the run may pass.
		refused string
	}
	var runs []run
	for _, p := range payloads {
		runs = append(runs,
			run{"VERSION " + p, []string{"check", "VERSION=" + p}, nil, "VERSION="},
			run{"DIST " + p, []string{"clean", "DIST=" + p}, nil, "DIST="},
			run{"GOARCH " + p, []string{"check", "GOARCH=" + p}, nil, "GOARCH="},
			run{"LIBC " + p, []string{"check", "LIBC=" + p}, nil, "LIBC="},
			run{"SOURCE_DATE_EPOCH " + p, []string{"check", "SOURCE_DATE_EPOCH=" + p}, nil, "SOURCE_DATE_EPOCH="},
			run{"BUILD_TIME " + p, []string{"check", "BUILD_TIME=" + p}, nil, "BUILD_TIME="},
			run{"HOST " + p, []string{"check", "HOST=" + p, "SCAFFOLD=true"}, nil, ""},
			run{"MODULE " + p, []string{"get", "MODULE=" + p}, nil, ""},
			run{"CC " + p, []string{"toolchain", "CC=" + p}, nil, ""},
		)
	}
	// Make runs with a home of the test's own, holding a victim too: a
	// Makefile that let DIST=~ through would remove it, not the user's
	// home.
	outside := t.TempDir()
	home := filepath.Join(outside, "home")
	victim := filepath.Join(outside, "victim")
	for _, d := range []string{victim, "../" + filepath.Base(outside) + "/victim", "..", ".", ".git", "", "a b", "~", "~/victim", "dist/../..", "$$HOME"} {
		runs = append(runs, run{"DIST " + d, []string{"clean", "DIST=" + d}, nil, "DIST="})
	}
	runs = append(runs,
		// From the environment, DIST and VERSION are not taken at all.
		run{"DIST in the environment", []string{"clean"}, []string{"DIST=" + victim}, ""},
		run{"VERSION in the environment", []string{"check", "SCAFFOLD=true"}, []string{"VERSION=1.2;touch pwned"}, ""},
		run{"DIST of a subdirectory", []string{"clean", "DIST=out/sub"}, nil, ""},
		run{"VERSION with a prerelease", []string{"check", "VERSION=v1.2.3-rc.1", "SCAFFOLD=true"}, nil, ""},
		run{"VERSION not semantic", []string{"check", "VERSION=1.2.3"}, nil, "VERSION=1.2.3: not a semantic version"},
		run{"VERSION with build metadata", []string{"check", "VERSION=v1.2.3+meta"}, nil, "VERSION="},
	)
	// The runs share the repository: one that removes dist/ while
	// another checks its artifact may make that one fail, which is
	// allowed; a payload that runs shows wherever it ran.
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			for _, dir := range []string{victim, filepath.Join(home, "victim")} {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(filepath.Join(repo, "dist"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(repo, "dist", artifact), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("make", append([]string{"--no-print-directory"}, r.args...)...)
			cmd.Dir = repo
			cmd.Env = append(append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local", "HOME="+home), r.env...)
			out, err := cmd.CombinedOutput()
			if r.refused != "" && (err == nil || !strings.Contains(string(out), r.refused)) {
				t.Errorf("make %q: %v, want it refused saying %q:\n%s", r.args, err, r.refused, out)
			}
			for _, dir := range []string{repo, outside, filepath.Dir(repo)} {
				if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
					os.Remove(filepath.Join(dir, "pwned"))
					t.Errorf("make %q ran the payload in %s:\n%s", r.args, dir, out)
				}
			}
			for _, dir := range []string{victim, filepath.Join(home, "victim")} {
				if _, err := os.Stat(dir); err != nil {
					t.Errorf("make %q removed %s:\n%s", r.args, dir, out)
				}
			}
		})
	}
}

// TestMakefileInstallsScaffold: a repository a released scaffold writes
// pins that release, and without a scaffold on PATH its Makefile installs
// it, static and built for this machine, into .scaffold/ before the first
// target that runs it; never the newest release.
func TestMakefileInstallsScaffold(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not installed")
	}
	o := helloWorld(t)
	o.ScaffoldVersion = "v1.2.3"
	dir, tree := renderRepoWith(t, &o)
	if !strings.Contains(string(tree["Makefile"]), "\nSCAFFOLD_VERSION := v1.2.3\n") {
		t.Errorf("the Makefile does not pin v1.2.3:\n%s", tree["Makefile"])
	}
	cmd := exec.Command("make", "-n", "pins")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin:"+filepath.Dir(goBin), "GOTOOLCHAIN=local", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n pins: %v\n%s", err, out)
	}
	install := "CGO_ENABLED=0 GOTOOLCHAIN=auto GOFLAGS= GOWORK=off GOBIN='" + dir + "/.scaffold/v1.2.3' go install " + Command + "@v1.2.3\n"
	run := "\n.scaffold/v1.2.3/scaffold pins --lock scaffold.lock\n"
	if i, j := strings.Index(string(out), install), strings.Index(string(out), run); i < 0 || j < i {
		t.Errorf("make -n pins does not install scaffold v1.2.3, then run it:\n%s", out)
	}
	if strings.Contains(string(out), "latest") {
		t.Errorf("make -n pins names the latest release:\n%s", out)
	}
}
