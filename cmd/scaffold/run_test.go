package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestRunHostColours runs a host whose log is coloured, as real hosts'
// logs are, under scaffold run: at a terminal its colours pass and every
// other control sequence is escaped; with NO_COLOR set, or without a
// terminal, everything is escaped.
func TestRunHostColours(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin")
	}
	dir := t.TempDir()
	lockData, err := os.ReadFile(filepath.Join(world.Examples, "hello-world", "scaffold.lock"))
	if err != nil {
		t.Fatal(err)
	}
	// The host prints a coloured line and a retitling sequence on both
	// its outputs.
	line := `printf '\033[90m12:00\033[0m hub: ready \033]0;owned\007\n'`
	files := map[string]string{
		"scaffold.lock": string(lockData),
		"host":          "#!/bin/sh\n" + line + "\n" + line + " >&2\n",
		"src/go.mod":    "module example.com/x\n\ngo 1.26\n",
		"src/x.go":      "package main\n\nvar Plugin int\n",
	}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// scaffold run takes only a Go plugin; this host never opens it.
	build := exec.Command("go", "build", "-buildmode=plugin", "-o", filepath.Join(dir, "x.so"), ".")
	build.Dir = filepath.Join(dir, "src")
	build.Env = append(os.Environ(), "CGO_ENABLED=1", "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building a plugin: %v\n%s", err, out)
	}
	const coloured = "\x1b[90m12:00\x1b[0m hub: ready "
	const escaped = `\x1b[90m12:00\x1b[0m hub: ready `
	const title = `\x1b]0;owned\x07`

	t.Run("terminal", func(t *testing.T) {
		out := runAtTerminal(t, dir, nil)
		if n := strings.Count(out, coloured+title); n != 2 {
			t.Errorf("at a terminal, want the colours and the escaped title on both outputs, got %d of them:\n%q", n, out)
		}
		if strings.Contains(out, "\x1b]") {
			t.Errorf("a retitling sequence reached the terminal:\n%q", out)
		}
	})
	t.Run("NO_COLOR", func(t *testing.T) {
		out := runAtTerminal(t, dir, []string{"NO_COLOR=1"})
		if n := strings.Count(out, escaped+title); n != 2 {
			t.Errorf("with NO_COLOR, want both lines escaped, got %d:\n%q", n, out)
		}
		if strings.Contains(out, "\x1b[90m") {
			t.Errorf("with NO_COLOR, a colour reached the terminal:\n%q", out)
		}
	})
	t.Run("pipe", func(t *testing.T) {
		out, err := scaffoldCmd(dir, nil, "run", "--host", "./host", "x.so").CombinedOutput()
		if err != nil {
			t.Fatalf("scaffold run: %v\n%s", err, out)
		}
		if n := strings.Count(string(out), escaped+title); n != 2 || strings.Contains(string(out), "\x1b") {
			t.Errorf("without a terminal, want both lines escaped, got %d:\n%q", n, out)
		}
	})
}

// runAtTerminal runs scaffold run in dir at a terminal and returns what it
// printed there.
func runAtTerminal(t *testing.T, dir string, env []string) string {
	t.Helper()
	// The test's own NO_COLOR is not the case's.
	cmd := scaffoldCmd(dir, append([]string{"NO_COLOR="}, env...), "run", "--host", "./host", "x.so")
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	c := newConsole(tty)
	err = cmd.Wait()
	<-c.done
	if err != nil {
		t.Fatalf("scaffold run: %v\n%q", err, c.out.String())
	}
	return c.out.String()
}
