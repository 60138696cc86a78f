package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDevRestarts runs make dev with the example gateway: the host runs
// with the plugin, and after a change to the plugin's source the plugin is
// rebuilt and the host started again with the new build; Ctrl-C (an
// interrupt to the process group, as a terminal sends it) ends it all.
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r, w := io.Pipe()
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
		}
	}()
	lines := make(chan string, 1000)
	go func() {
		s := bufio.NewScanner(r)
		for s.Scan() {
			lines <- s.Text()
		}
		close(lines)
	}()
	var seen []string
	waitFor := func(want string) {
		t.Helper()
		deadline := time.After(3 * time.Minute)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("make dev ended before %q:\n%s", want, strings.Join(seen, "\n"))
				}
				seen = append(seen, l)
				if strings.Contains(l, want) {
					return
				}
			case <-deadline:
				t.Fatalf("no %q from make dev:\n%s", want, strings.Join(seen, "\n"))
			}
		}
	}
	waitFor(`"X-Hello":"hello from hello-world"`)

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
	waitFor("source changed: rebuilding, and starting gateway again")
	waitFor(`"X-Hello":"changed by the author: hello-world"`)

	// Ctrl-C: the whole foreground group is interrupted.
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Logf("make dev ended: %v", err) // an interrupted make exits non-zero
		stopped = true
	case <-time.After(30 * time.Second):
		t.Fatalf("make dev did not stop on an interrupt:\n%s", strings.Join(seen, "\n"))
	}
	w.Close()
}
