package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNewCancelAtPrompt ends a question with Ctrl-D and with Ctrl-C: both
// cancel, exit 130 as an interrupted command does, and write nothing.
func TestNewCancelAtPrompt(t *testing.T) {
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	for _, tt := range []struct {
		name, question, key string
		args                []string
	}{
		{"Ctrl-D at the name", "Plugin name:", "\x04", []string{"new", "--manifest", manifestFile, "--offline"}},
		{"Ctrl-D at the manifest", "Host release manifest:", "\x04", []string{"new", "myplugin", "--offline"}},
		{"Ctrl-D after typing", "Plugin name:", "abc\x04", []string{"new", "--manifest", manifestFile, "--offline"}},
		{"Ctrl-C at the name", "Plugin name:", "\x03", []string{"new", "--manifest", manifestFile, "--offline"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command("scaffold", tt.args...)
			cmd.Dir = dir
			c := startConsole(t, cmd, 120)
			c.expect(t, tt.question)
			// A key pressed before the question has put the terminal in
			// raw mode can be lost; a person would press it again.
			stop := make(chan struct{})
			go func() {
				for {
					_, _ = c.f.Write([]byte(tt.key)) // fails once the program is gone
					select {
					case <-stop:
						return
					case <-time.After(300 * time.Millisecond):
					}
				}
			}()
			c.expect(t, "scaffold: interrupted")
			close(stop)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Errorf("scaffold new exited with %v, want exit status 130", err)
			}
			<-c.done
			if out := c.out.String(); strings.Contains(out, "no such file") {
				t.Errorf("the question was asked again:\n%q", out)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("a cancelled scaffold new left %v", entries)
			}
		})
	}
}

// TestNewSignalAtPrompt sends an interrupt signal while a question waits.
// In raw mode the terminal sends no signal of its own, and a signal does
// not end the read; the question is cancelled all the same, and the
// command exits 130, leaving nothing behind.
func TestNewSignalAtPrompt(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("scaffold", "new", "--manifest", filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml"), "--offline")
	cmd.Dir = dir
	c := startConsole(t, cmd, 120)
	c.expect(t, "Plugin name:")
	time.Sleep(300 * time.Millisecond) // the question waits on the terminal
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("scaffold new still waits for an answer after an interrupt")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("scaffold new exited with %v, want exit status 130", err)
	}
	c.expect(t, "scaffold: interrupted")
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("an interrupted scaffold new left %v", entries)
	}
}
