package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
	"github.com/scaffold-dev/scaffold/internal/filetree"
)

// The scaffold command of this test binary (and of no other build) reads
// two variables that drive the commit's fail points:
const (
	// crashEnv names where the command kills itself with SIGKILL: N, the
	// N-th fail point it reaches, or NAME, the first one of that name.
	crashEnv = "SCAFFOLD_TEST_CRASH_AT"
	// slowEnv is a duration to sleep at every fail point, which widens
	// the window a kill at a random moment lands in the commit.
	slowEnv = "SCAFFOLD_TEST_SLOW"
)

// scaffoldMain is main with the fail points set from the environment.
func scaffoldMain() {
	at := os.Getenv(crashEnv)
	slow, _ := time.ParseDuration(os.Getenv(slowEnv))
	if at != "" || slow > 0 {
		n, err := strconv.Atoi(at)
		byName := err != nil
		seen := 0
		filetree.FailPoint = func(name string) {
			seen++
			if slow > 0 {
				time.Sleep(slow)
			}
			if (byName && name == at) || (!byName && seen == n) {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {}
			}
		}
	}
	main()
}

// A crashCase is a command whose commit is interrupted: it runs in a work
// directory made by setup, and turns its old tree into a new one.
type crashCase struct {
	name  string
	setup func(t *testing.T, work string)
	args  []string
	// exit is the command's exit code when it runs through.
	exit int
}

// TestCrash kills scaffold upgrade and scaffold new at every step of
// their commit, and at random moments, and checks that the next run
// recovers: stopped right after its recovery, the work directory is
// byte for byte the old tree or the new one, with nothing temporary left;
// let run, it makes the new tree, saying what it recovered.
func TestCrash(t *testing.T) {
	releases := filepath.Join(world.Examples, "gateway", "releases")
	v090 := filepath.Join(releases, "v0.9.0.manifest.yaml")
	v100 := filepath.Join(releases, "v1.0.0.manifest.yaml")
	// git as on a machine where it knows no one: the same first commit
	// every time, but for its time, which snapshotTree leaves out.
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	newArgs := []string{"new", "myplugin", "--manifest", v100, "--module", "example.com/myplugin", "--libc", "glibc,musl", "--offline", "--yes"}
	template := t.TempDir()
	runScaffold(t, template, nil, "new", "myplugin", "--manifest", v090, "--module", "example.com/myplugin", "--libc", "glibc", "--offline", "--yes")
	if _, err := os.Stat(filepath.Join(template, "myplugin", ".git", "HEAD")); err != nil {
		t.Fatalf("scaffold new made no git repository: %v", err)
	}
	// An author's change, merged by the upgrade.
	plugin := filepath.Join(template, "myplugin", "plugin.go")
	data, err := os.ReadFile(plugin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plugin, bytes.Replace(data, []byte("\treturn nil\n}"), []byte("\treq.SetHeader(\"X-Author\", \"yes\")\n\treturn nil\n}"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []crashCase{
		{
			name:  "upgrade",
			setup: func(t *testing.T, work string) { copyTree(t, template, work) },
			args:  []string{"upgrade", "--offline", "--manifest", v100, "myplugin"},
			exit:  4,
		},
		{
			name:  "new",
			setup: func(t *testing.T, work string) {},
			args:  newArgs,
		},
		{
			name: "new-into-empty-dir",
			setup: func(t *testing.T, work string) {
				if err := os.Mkdir(filepath.Join(work, "myplugin"), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			args: newArgs,
		},
		{
			// A fresh git init: its .git stays as it is.
			name: "new-into-git-dir",
			setup: func(t *testing.T, work string) {
				if out, err := exec.Command("git", "init", "-q", filepath.Join(work, "myplugin")).CombinedOutput(); err != nil {
					t.Fatalf("git init: %v\n%s", err, out)
				}
			},
			args: newArgs,
		},
	}
	random := 25
	if testing.Short() {
		random = 8
	}
	total := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			work := t.TempDir()
			c.setup(t, work)
			old := snapshotTree(t, work)
			if code := runScaffold(t, work, nil, c.args...); code != c.exit {
				t.Fatalf("scaffold %s exited with %d, want %d", c.name, code, c.exit)
			}
			want := snapshotTree(t, work)
			if maps.Equal(old, want) {
				t.Fatal("the command changed nothing")
			}
			// Every fail point in turn, until the command runs through;
			// with -short the first two, every third and the last ones
			// (a new repository's .git goes in after the commit point).
			step := 1
			if testing.Short() {
				step = 3
			}
			points := 0
			tried := map[int]bool{}
			try := func(n int) bool {
				tried[n] = true
				killed, _ := c.crash(t, old, want, fmt.Sprintf("%s=%d", crashEnv, n), 0)
				if killed {
					points++
					total++
				}
				return killed
			}
			n := 1
			for try(n) {
				if n < 2 {
					n++
				} else {
					n += step
				}
			}
			// The last point is one of those skipped since the last
			// tried (a run past the last point goes through).
			for m := n - 1; m > n-step && m > 0; m-- {
				if !tried[m] {
					try(m)
				}
			}
			if points < 2 {
				t.Fatalf("%d fail points reached, want the commit's steps", points)
			}
			// And real kills at random moments, the commit slowed down.
			start := time.Now()
			runScaffold(t, t.TempDir(), nil) // the binary's start alone
			startup := time.Since(start)
			probe := t.TempDir()
			c.setup(t, probe)
			start = time.Now()
			runScaffold(t, probe, []string{slowEnv + "=2ms"}, c.args...)
			span := time.Since(start)
			killed, mixed := 0, 0
			// On a loaded machine the start alone may be measured longer
			// than the whole run: the window never closes.
			window := max(span-startup/2, time.Millisecond)
			for range random {
				d := startup/2 + time.Duration(rand.Int64N(int64(window)))
				k, m := c.crash(t, old, want, slowEnv+"=2ms", d)
				if k {
					killed++
				}
				if m {
					mixed++
				}
				total++
			}
			t.Logf("%d fail points; %d random kills between %v and %v of a %v run: %d before the end, %d of them in the commit", points, random, d(startup/2), d(span), d(span), killed, mixed)
		})
	}
	t.Logf("%d interrupted runs in all", total)
	if !testing.Short() && total < 100 {
		t.Errorf("%d interrupted runs, want at least 100", total)
	}
}

func d(x time.Duration) time.Duration { return x.Round(time.Millisecond) }

var recovered = regexp.MustCompile(`(?m)^.*an interrupted (upgrade|new|change) (was rolled back: every file is as it was before it|had finished: removed what it left behind)$`)

// crash runs the case in a fresh work directory with env, killed at a fail
// point or after the delay kill; it reports whether the run was killed,
// and whether it was killed in its commit, the tree neither the old nor
// the new. Then it checks the next run's recovery and the run after it.
func (c crashCase) crash(t *testing.T, old, want map[string]string, env string, kill time.Duration) (killed, interrupted bool) {
	t.Helper()
	work := t.TempDir()
	c.setup(t, work)
	cmd := scaffoldCmd(work, []string{env}, c.args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if kill > 0 {
		timer := time.AfterFunc(kill, func() { _ = cmd.Process.Kill() })
		defer timer.Stop()
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		if code := exitCode(err); code != c.exit {
			t.Fatalf("%s: scaffold %s exited with %d, want %d:\n%s", env, c.name, code, c.exit, stderr.Bytes())
		}
		if got := snapshotTree(t, work); !maps.Equal(got, want) {
			t.Fatalf("%s: scaffold %s ran through, but the tree differs from the new one:\n%s", env, c.name, treeDiff(want, got))
		}
		return false, false
	}
	killedAt := snapshotTree(t, work)
	interrupted = !maps.Equal(killedAt, old) && !maps.Equal(killedAt, want)

	// The next run, stopped right after its recovery.
	cmd = scaffoldCmd(work, []string{crashEnv + "=recovered"}, c.args...)
	out, err := cmd.CombinedOutput()
	got := snapshotTree(t, work)
	if !maps.Equal(got, old) && !maps.Equal(got, want) {
		t.Fatalf("%s (killed after %v): after the recovery, the tree is neither the old nor the new one:\nagainst the old: %s\nagainst the new: %s\n%s", env, kill, treeDiff(old, got), treeDiff(want, got), out)
	}
	if interrupted && !recovered.Match(out) {
		t.Errorf("%s: the recovery does not say what it did: %q", env, out)
	}
	if err == nil || exitCode(err) != -1 {
		// Nothing was left to recover: the run went through.
		if !maps.Equal(got, want) {
			t.Fatalf("%s: a run with nothing to recover left the old tree", env)
		}
		return true, interrupted
	}

	// The run after: the new tree.
	cmd = scaffoldCmd(work, nil, c.args...)
	out, err = cmd.CombinedOutput()
	code := exitCode(err)
	alreadyNew := maps.Equal(got, want) && c.name != "upgrade"
	switch {
	case code == c.exit:
	case alreadyNew && code == 1 && strings.Contains(string(out), "exists and is not empty"):
		// new finished before the kill: it is not made twice.
	default:
		t.Fatalf("%s: after the recovery, scaffold %s exited with %d, want %d:\n%s", env, c.name, code, c.exit, out)
	}
	if got := snapshotTree(t, work); !maps.Equal(got, want) {
		t.Fatalf("%s: after the recovery, scaffold %s left a tree that is not the new one:\n%s", env, c.name, treeDiff(want, got))
	}
	return true, interrupted
}

func scaffoldCmd(dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command("scaffold", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// runScaffold runs scaffold in dir and returns its exit code; a kill is -1.
func runScaffold(t *testing.T, dir string, env []string, args ...string) int {
	t.Helper()
	out, err := scaffoldCmd(dir, env, args...).CombinedOutput()
	code := exitCode(err)
	if code != 0 && code != 4 && len(args) > 0 {
		t.Logf("scaffold %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return code
}

func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -2
}

// snapshotTree describes every entry under dir: each directory, and each
// file's permissions and content digest, hidden ones included, so that
// anything temporary left behind shows. A .git directory is described by
// what git says of it (gitSnapshot): its objects hold the commit's time.
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	return snapshot(t, dir, true)
}

// snapshot describes every file below dir by mode and content; with
// gitAware, a .git directory is described by what git reports of it
// instead (gitSnapshot), since git's own files differ between equal runs.
func snapshot(t *testing.T, dir string, gitAware bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if gitAware && e.Name() == ".git" && e.IsDir() {
			out[rel] = gitSnapshot(t, p)
			return fs.SkipDir
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		switch {
		case e.IsDir():
			out[rel] = "dir " + fi.Mode().Perm().String()
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = fmt.Sprintf("%s %x", fi.Mode().Perm(), sha256.Sum256(data))
		default:
			out[rel] = fi.Mode().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// gitSnapshot describes the repository whose .git is gitDir without
// changing it: its commits' authors and messages, the tree of HEAD, the
// index and the status of the work tree. A repository without a commit is
// described byte for byte as well, which a fresh git init is.
func gitSnapshot(t *testing.T, gitDir string) string {
	t.Helper()
	var b strings.Builder
	for _, args := range [][]string{
		{"log", "--format=%an <%ae> %s"},
		{"rev-parse", "HEAD^{tree}"},
		{"ls-files", "--stage"},
		{"status", "--porcelain", "--untracked-files=all"},
	} {
		cmd := exec.Command("git", append([]string{"--no-optional-locks", "-C", filepath.Dir(gitDir)}, args...)...)
		out, err := cmd.CombinedOutput()
		fmt.Fprintf(&b, "git %s: %v\n%s", args[0], err, out)
	}
	if err := exec.Command("git", "-C", filepath.Dir(gitDir), "rev-parse", "--verify", "-q", "HEAD").Run(); err != nil {
		files := snapshot(t, gitDir, false)
		for _, p := range slices.Sorted(maps.Keys(files)) {
			fmt.Fprintf(&b, "%s %s\n", p, files[p])
		}
	}
	return fmt.Sprintf("git %x", sha256.Sum256([]byte(b.String())))
}

func treeDiff(want, got map[string]string) string {
	var b strings.Builder
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if got[p] != want[p] {
			fmt.Fprintf(&b, "\n  %s: %q, want %q", p, got[p], want[p])
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			fmt.Fprintf(&b, "\n  %s: %q, unexpected", p, got[p])
		}
	}
	return b.String()
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		fi, err := e.Info()
		if err != nil {
			return err
		}
		if e.IsDir() {
			return os.MkdirAll(dst, fi.Mode().Perm())
		}
		return e2e.CopyFile(p, dst, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
