package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProgress runs scaffold new at a terminal while resolving modules is
// slow (a go command that first sleeps): stderr shows the step and how long
// it has taken, and clears the line after; --quiet shows neither, and
// without a terminal there is no progress line either.
func TestProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("resolves modules three times with a go command slowed by 2.5 s (about 15 s)")
	}
	real, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	slow := "#!/bin/sh\nsleep 2.5\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(slow), 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(world.Env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	run := func(t *testing.T, tty bool, args ...string) string {
		cmd := exec.Command("scaffold", append([]string{"new", "p", "--manifest", manifestFile, "--module", "example.com/p", "--libc", "glibc", "--yes", "--no-git"}, args...)...)
		cmd.Dir = t.TempDir()
		cmd.Env = env
		if !tty {
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("scaffold new: %v\n%s", err, out)
			}
			return string(out)
		}
		c := startConsole(t, cmd, 200)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("scaffold new: %v", err)
			}
		case <-time.After(2 * time.Minute):
			t.Fatal("scaffold new did not finish")
		}
		c.f.Close()
		<-c.done
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.out.String()
	}
	t.Run("terminal", func(t *testing.T) {
		out := run(t, true)
		if !strings.Contains(out, "\r\x1b[Kresolving modules with go1.26.8 (downloading it and the modules when they are not here yet): 1s") {
			t.Errorf("no progress line with the time so far:\n%q", out)
		}
		if !strings.Contains(out, "s\r\x1b[K") {
			t.Errorf("the progress line is not cleared:\n%q", out)
		}
	})
	t.Run("quiet", func(t *testing.T) {
		out := run(t, true, "--quiet")
		if strings.Contains(out, "resolving modules") {
			t.Errorf("--quiet shows steps or progress:\n%q", out)
		}
	})
	t.Run("no terminal", func(t *testing.T) {
		out := run(t, false)
		if !strings.Contains(out, "resolving modules with go1.26.8\n") || strings.Contains(out, "\r") {
			t.Errorf("without a terminal: want the step's line and no progress:\n%q", out)
		}
	})
}

// TestFirstBuildSaysSo runs make build at a terminal in a fresh copy of
// examples/hello-world: the first build says it can take minutes; the next
// one, and any build whose stderr is not a terminal, does not.
func TestFirstBuildSaysSo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin")
	}
	dir := filepath.Join(t.TempDir(), "hw")
	if out, err := exec.Command("cp", "-r", filepath.Join(world.Examples, "hello-world"), dir).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	const line = "first build here: Go compiles the standard library and every module with gateway's flags, which can take minutes"
	build := func(tty bool) string {
		cmd := exec.Command("make", "-C", dir, "build")
		cmd.Env = append(world.Env, "PATH="+os.Getenv("PATH"), "GOCACHE="+goCache)
		if !tty {
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("make build: %v\n%s", err, out)
			}
			return string(out)
		}
		c := startConsole(t, cmd, 400)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("make build: %v", err)
		}
		c.f.Close()
		<-c.done
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.out.String()
	}
	if out := build(true); !strings.Contains(out, line) {
		t.Errorf("the first build at a terminal does not say it can take minutes:\n%s", out)
	}
	if out := build(true); strings.Contains(out, line) {
		t.Errorf("the second build says it is the first:\n%s", out)
	}
	if err := os.RemoveAll(filepath.Join(dir, "dist")); err != nil {
		t.Fatal(err)
	}
	if out := build(false); strings.Contains(out, line) {
		t.Errorf("a build without a terminal says it is the first:\n%s", out)
	}
}
