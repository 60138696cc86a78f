package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/scaffold-dev/scaffold/internal/lock"
)

// A console is the far end of a pseudo-terminal: it collects what the
// program prints and answers the cursor-position queries a terminal would.
type console struct {
	f    *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	last time.Time // when the program last printed
	done chan struct{}
}

// startConsole starts cmd at a terminal of 40 rows by cols columns, closed
// when the test ends.
func startConsole(t *testing.T, cmd *exec.Cmd, cols uint16) *console {
	t.Helper()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: cols})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return newConsole(f)
}

func newConsole(f *os.File) *console {
	c := &console{f: f, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			// One answer per query: a program may send two in one write.
			// The answers go out before the output is shown to expect, so
			// a test's keystrokes never land between a query and its
			// answer, where the program would take them for the answer.
			for range bytes.Count(buf[:n], []byte("\x1b[6n")) {
				_, _ = f.Write([]byte("\x1b[1;1R")) // a closed terminal ends the loop below
			}
			c.mu.Lock()
			c.out.Write(buf[:n])
			c.last = time.Now()
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return c
}

// expect waits until the program has printed s since the last expect.
func (c *console) expect(t *testing.T, s string) {
	t.Helper()
	c.expectWithin(t, s, 20*time.Second)
}

// expectWithin is expect for a program that may take up to d.
func (c *console) expectWithin(t *testing.T, s string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		i := strings.Index(c.out.String(), s)
		// A prompt is drawn in several writes, queries among them: wait
		// until the program has been quiet for a moment, as a person would.
		if i >= 0 && time.Since(c.last) < 100*time.Millisecond {
			c.mu.Unlock()
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if i >= 0 {
			rest := c.out.String()[i+len(s):]
			c.out.Reset()
			c.out.WriteString(rest)
		}
		c.mu.Unlock()
		if i >= 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t.Fatalf("waited for %q; the terminal shows:\n%q", s, c.out.String())
}

func (c *console) send(t *testing.T, s string) {
	t.Helper()
	if _, err := c.f.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

// TestNewAsks runs scaffold new at a terminal with only --manifest given:
// it asks for the rest, offers defaults, and refuses a bad answer until a
// good one comes.
func TestNewAsks(t *testing.T) {
	dir := t.TempDir()
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	cmd := exec.Command("scaffold", "new", "--manifest", manifestFile, "--offline")
	cmd.Dir = dir
	c := startConsole(t, cmd, 120)

	c.expect(t, "Plugin name:")
	c.send(t, "Bad Name\r")
	c.expect(t, `plugin name "Bad Name": use lower-case letters`)
	c.send(t, strings.Repeat("\x7f", len("Bad Name")))
	c.send(t, "myplugin\r")
	c.expect(t, "Module path:")
	c.expect(t, "example.com/myplugin")
	c.send(t, "\r") // the default
	c.expect(t, "Build for libc:")
	c.send(t, "\r") // both, selected by default
	c.expect(t, "Directory:")
	c.send(t, "\r") // ./myplugin
	// What will be written, asked about once.
	c.expect(t, "scaffold new will write myplugin:")
	c.expect(t, "plugin     myplugin v0.1.0, module example.com/myplugin")
	c.expect(t, "libc       glibc, musl")
	c.expect(t, "files      .dockerignore ")
	c.expect(t, " scaffold.lock")
	c.expect(t, "Write it?")
	c.send(t, "\r") // yes, the default
	c.expect(t, "next: cd myplugin && make tidy && make build && make test")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("scaffold new: %v", err)
	}
	l, err := lock.Read(filepath.Join(dir, "myplugin", lock.FileName))
	if err != nil {
		t.Fatal(err)
	}
	want := lock.Answers{Name: "myplugin", Module: "example.com/myplugin", Version: "v0.1.0", Libc: []string{"glibc", "musl"}}
	if got := l.Answers; got.Name != want.Name || got.Module != want.Module || got.Version != want.Version || strings.Join(got.Libc, ",") != strings.Join(want.Libc, ",") {
		t.Errorf("answers = %+v, want %+v", got, want)
	}
}

// TestNewDeclined answers no when scaffold new, at a terminal, shows what
// it will write: nothing is written, and that is no error.
func TestNewDeclined(t *testing.T) {
	dir := t.TempDir()
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	cmd := exec.Command("scaffold", "new", "myplugin", "--manifest", manifestFile, "--module", "example.com/myplugin", "--libc", "glibc", "--out", "p", "--offline")
	cmd.Dir = dir
	c := startConsole(t, cmd, 200)
	c.expect(t, "scaffold new will write p:")
	c.expect(t, "Write it?")
	c.send(t, "n\r")
	c.expect(t, "nothing written")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("scaffold new, declined: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a declined scaffold new left %v", entries)
	}
}

// TestNewAsksManifest runs scaffold new at a terminal without --manifest:
// a path that is no manifest is refused, and the one answered is the
// release the plugin is written for.
func TestNewAsksManifest(t *testing.T) {
	dir := t.TempDir()
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	cmd := exec.Command("scaffold", "new", "myplugin", "--module", "example.com/myplugin", "--libc", "glibc", "--offline")
	cmd.Dir = dir
	c := startConsole(t, cmd, 400)
	c.expect(t, "Host release manifest:")
	c.send(t, "missing.yaml\r")
	c.expect(t, "missing.yaml")
	c.expect(t, "no such file")
	c.send(t, strings.Repeat("\x7f", len("missing.yaml")))
	c.send(t, manifestFile+"\r")
	c.expect(t, "Directory:")
	c.send(t, "\r") // ./myplugin
	c.expect(t, "Write it?")
	c.send(t, "\r")
	c.expect(t, "next: cd myplugin")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("scaffold new: %v", err)
	}
	l, err := lock.Read(filepath.Join(dir, "myplugin", lock.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Manifest.Host.Name + " " + l.Manifest.Host.Version; got != "gateway v1.0.0" {
		t.Errorf("the lock records %s, want gateway v1.0.0", got)
	}
}

// TestNewYesNeverAsks gives --yes at a terminal: missing answers are an
// error, not a question.
func TestNewYesNeverAsks(t *testing.T) {
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	cmd := exec.Command("scaffold", "new", "myplugin", "--manifest", manifestFile, "--yes")
	cmd.Dir = t.TempDir()
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	c := newConsole(tty)
	c.expect(t, "scaffold: missing --module:")
	if err := cmd.Wait(); err == nil {
		t.Fatal("scaffold new --yes without --module succeeded")
	}
	<-c.done
	if strings.Contains(c.out.String(), "?") {
		t.Errorf("scaffold new --yes asked a question:\n%q", c.out.String())
	}
}

// TestNewAsksContractChoices asks for what a contract leaves to the author:
// which optional hooks, and the handlers' names.
func TestNewAsksContractChoices(t *testing.T) {
	for _, tt := range []struct {
		manifest string
		dialog   func(c *console)
		answer   func(l *lock.Lock) []string
		want     []string
	}{
		{"v1.0.0.manifest.yaml", func(c *console) {
			c.expect(t, "Optional hooks to implement:")
			c.expect(t, "PostHook")
			c.send(t, " \r") // unselect PreHook, the first; keep PostHook
		}, func(l *lock.Lock) []string { return l.Answers.Hooks }, []string{"PostHook"}},
		{"v1.0.0.handlers.manifest.yaml", func(c *console) {
			c.expect(t, "Handler names (comma-separated):")
			c.send(t, "bad\r")
			c.expect(t, `handler name "bad" is not an exported Go identifier`)
			c.send(t, strings.Repeat("\x7f", 3)+"Auth, Log\r")
		}, func(l *lock.Lock) []string { return l.Answers.Handlers }, []string{"Auth", "Log"}},
	} {
		t.Run(tt.manifest, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command("scaffold", "new", "p", "--module", "example.com/p", "--offline",
				"--manifest", filepath.Join(world.Examples, "relay", "releases", tt.manifest))
			cmd.Dir = dir
			c := startConsole(t, cmd, 120)
			tt.dialog(c)
			c.expect(t, "Directory:")
			c.send(t, "\r")
			c.expect(t, "Write it?")
			c.send(t, "\r")
			c.expect(t, "next: cd p")
			if err := cmd.Wait(); err != nil {
				t.Fatalf("scaffold new: %v", err)
			}
			l, err := lock.Read(filepath.Join(dir, "p", lock.FileName))
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.answer(l); !slices.Equal(got, tt.want) {
				t.Errorf("answers %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNoColor asks at a terminal with and without NO_COLOR: the questions
// are coloured only without it (https://no-color.org).
func TestNoColor(t *testing.T) {
	sgr := regexp.MustCompile(`\x1b\[[0-9;]*m`)
	manifestFile := filepath.Join(world.Examples, "gateway", "releases", "v1.0.0.manifest.yaml")
	for _, tt := range []struct {
		env       string
		wantColor bool
	}{
		{"NO_COLOR=1", false},
		{"NO_COLOR=", true},
	} {
		t.Run(tt.env, func(t *testing.T) {
			cmd := exec.Command("scaffold", "new", "--manifest", manifestFile, "--offline")
			cmd.Dir = t.TempDir()
			cmd.Env = append(os.Environ(), tt.env)
			c := startConsole(t, cmd, 120)
			var shown string
			for deadline := time.Now().Add(20 * time.Second); !strings.Contains(shown, "Plugin name:") && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
				c.mu.Lock()
				shown = c.out.String()
				c.mu.Unlock()
			}
			c.send(t, "\x03") // Ctrl-C
			_ = cmd.Wait()    // ended by Ctrl-C
			if got := sgr.MatchString(shown); got != tt.wantColor {
				t.Errorf("with %s, colour codes shown: %v, want %v; the terminal shows:\n%q", tt.env, got, tt.wantColor, shown)
			}
		})
	}
}
