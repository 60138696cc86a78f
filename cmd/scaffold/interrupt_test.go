package main

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestInterruptExits130 interrupts scaffold new while it waits on a module
// proxy that never answers: it stops at once, says so, exits 130 as an
// interrupted command does, and leaves no repository behind.
func TestInterruptExits130(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accept, and never answer
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	dir := t.TempDir()
	cmd := exec.Command("scaffold", "new", "myplugin", "--manifest", filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml"),
		"--module", "example.com/myplugin", "--libc", "glibc", "--yes")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=http://"+ln.Addr().String(), "GOSUMDB=off", "GOFLAGS=-modcacherw",
		"GOMODCACHE="+filepath.Join(t.TempDir(), "modcache"))
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "resolving modules") {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("scaffold new never started resolving modules:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // the go command is waiting on the proxy
	start := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("scaffold new exited with %v, want exit status 130\n%s", err, stderr.String())
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("scaffold new took %v to stop", d)
	}
	if !strings.Contains(stderr.String(), "scaffold: interrupted") {
		t.Errorf("stderr does not say it was interrupted:\n%s", stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("an interrupted scaffold new left %v", entries)
	}
}
