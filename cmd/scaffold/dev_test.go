package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDevRestarts runs make dev with the example gateway at a terminal:
// the host runs with the plugin, and after a change to the plugin's source
// the plugin is rebuilt and the host started again with the new build;
// Ctrl-C stops the host, and make dev ends with success, not with make's
// error for an interrupted recipe.
func TestDevRestarts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example gateway and the plugin twice")
	}
	gateway, err := world.Host("glibc")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "hw")
	if out, err := exec.Command("cp", "-r", filepath.Join(world.Examples, "hello-world"), dir).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	cmd := exec.Command("make", "-C", dir, "dev", "HOST="+gateway)
	cmd.Env = append(world.Env, "PATH="+os.Getenv("PATH"), "GOCACHE="+goCache)
	c := startConsole(t, cmd, 200)
	stopped := false
	defer func() {
		if !stopped {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	c.expectWithin(t, `"X-Hello":"hello from hello-world"`, 3*time.Minute)

	plugin := filepath.Join(dir, "plugin.go")
	src, err := os.ReadFile(plugin)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(src), `"hello from "+pluginName`, `"changed by the author: "+pluginName`, 1)
	if changed == string(src) {
		t.Fatal("plugin.go has no hello line to change")
	}
	if err := os.WriteFile(plugin, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	c.expectWithin(t, "source changed: running make again", time.Minute)
	c.expectWithin(t, `"X-Hello":"changed by the author: hello-world"`, 3*time.Minute)

	// Ctrl-C at the terminal.
	c.send(t, "\x03")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		stopped = true
		if err != nil {
			c.mu.Lock()
			defer c.mu.Unlock()
			t.Errorf("make dev ended with %v after Ctrl-C, want success; the terminal shows:\n%s", err, c.out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("make dev did not stop on Ctrl-C")
	}
}
