package watch

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log written by the watch while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until cond holds, or fails after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited for %s", what)
}

func runs(t *testing.T, dir string) int {
	data, err := os.ReadFile(filepath.Join(dir, "runs"))
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "run\n")
}

// TestRunRestarts: a change to a Go file, go.mod or go.sum stops the
// command, all it started with it, and runs it again; a change where the
// go command does not look (.hidden/, _harness/, testdata/) does not; the
// end of the watch stops the command.
func TestRunRestarts(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.go", "go.mod", ".hidden/x.go", "_harness/x.go", "testdata/x.go"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("package a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var log syncBuffer
	done := make(chan error, 1)
	go func() {
		// The sleep is a child of the shell, in its group: stopping the
		// group stops it too, or the watch would wait for it.
		done <- Run(ctx, Options{Dir: dir, Command: []string{"sh", "-c", "echo run >> runs; sleep 60; echo survived >> runs"},
			Interval: 20 * time.Millisecond, Changed: "changed", Log: &log})
	}()
	waitFor(t, "the first run", func() bool { return runs(t, dir) == 1 })
	for _, f := range []string{".hidden/x.go", "_harness/x.go", "testdata/x.go", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("package a // changed\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := runs(t, dir); n != 1 {
		t.Fatalf("%d runs after changes the go command does not see, want 1", n)
	}
	for i, f := range []string{"a.go", "go.mod", "go.sum"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("package a // changed\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "a run after "+f+" changed", func() bool { return runs(t, dir) == i+2 })
	}
	if got := strings.Count(log.String(), "changed\n"); got != 3 {
		t.Errorf("the watch said %d times that the sources changed, want 3:\n%s", got, log.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v, want nil", err)
		}
	case <-time.After(stopWait / 2):
		t.Fatal("the watch did not stop the command")
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "runs")); strings.Contains(string(data), "survived") {
		t.Errorf("a run went on after it was stopped:\n%s", data)
	}
}

// TestRunEnds: a command that ends by an interrupt of its own (Ctrl-C at
// the terminal, whose foreground it holds) ends the watch, with success;
// one that fails is waited on until the sources change.
func TestRunEnds(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Run(context.Background(), Options{Dir: dir, Command: []string{"sh", "-c", "kill -INT $$"}, Interval: 20 * time.Millisecond})
	if err != nil {
		t.Errorf("Run of an interrupted command: %v, want nil", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Dir: dir, Command: []string{"sh", "-c", "echo run >> runs; exit 3"}, Interval: 20 * time.Millisecond, Changed: "changed", Log: &log})
	}()
	waitFor(t, "the failed run's report", func() bool {
		return strings.Contains(log.String(), "sh ended (exit status 3): waiting for a change to the sources\n")
	})
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a // changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a run after the change", func() bool { return runs(t, dir) == 2 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v, want nil", err)
	}
}
