// Package watch runs a command, and runs it again after every change to a
// Go module's sources: make dev runs make run this way, since a Go plugin
// cannot be unloaded and a new build needs a new host process.
//
// The command runs in a process group of its own, so that one signal stops
// all it started (make, scaffold run, the host). At a terminal that group
// is the terminal's foreground while it runs: Ctrl-C reaches the host as
// it would without make dev, and ends the watch too. The watch itself
// leaves its parent's group, and make's, for one of its own that is the
// foreground between runs: Ctrl-C never reaches make, which would
// otherwise end in an error however cleanly everything below it stopped.
// An interrupt ends the watch with success: it is how one stops it.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Options say what to run, where, and what to watch.
type Options struct {
	// Dir is the module's root, where Command runs.
	Dir string
	// Command is the program and its arguments.
	Command []string
	// Interval is how often the sources are looked at; zero means a
	// second.
	Interval time.Duration
	// Changed is said on Log before the command runs again.
	Changed string
	// Log receives what the watch does. The command has the watch's own
	// standard input and output: at a terminal it holds the foreground.
	Log io.Writer
}

// stopWait is how long a stopped command may take to end before its group
// is killed: scaffold run gives the host 10 s.
const stopWait = 15 * time.Second

// Run runs the command until an interrupt or a termination signal, or ctx
// ends, starting it again after every change to the sources. It returns
// nil when stopped so.
func Run(ctx context.Context, o Options) error {
	if len(o.Command) == 0 {
		return errors.New("no command to run")
	}
	if o.Interval == 0 {
		o.Interval = time.Second
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	term := takeTerminal()
	defer term.restore()
	for {
		stamp, err := sources(o.Dir)
		if err != nil {
			return err
		}
		cmd := exec.Command(o.Command[0], o.Command[1:]...)
		cmd.Dir = o.Dir
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		ownGroup(cmd)
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("starting %s: %w", strings.Join(o.Command, " "), err)
		}
		term.give(cmd.Process.Pid)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		running := true
		for changed := false; !changed; {
			select {
			case <-ctx.Done():
				stop(cmd, exited, running)
				return nil
			case <-sigs:
				stop(cmd, exited, running)
				return nil
			case err := <-exited:
				running = false
				term.take()
				if interrupted(err) {
					// Ctrl-C at the terminal, whose foreground the
					// command's group was.
					return nil
				}
				fmt.Fprintf(o.Log, "%s ended (%v): waiting for a change to the sources\n", o.Command[0], exitStatus(err))
			case <-time.After(o.Interval):
				now, err := sources(o.Dir)
				if err != nil {
					stop(cmd, exited, running)
					return err
				}
				changed = !slices.Equal(now, stamp)
			}
		}
		stop(cmd, exited, running)
		term.take()
		fmt.Fprintln(o.Log, o.Changed)
	}
}

// stop interrupts the command's group and waits for it, killing the group
// when it takes too long.
func stop(cmd *exec.Cmd, exited <-chan error, running bool) {
	if !running {
		return
	}
	signalGroup(cmd, os.Interrupt)
	// The command was told to stop: how it ends is no error of the watch's.
	var err error
	select {
	case err = <-exited:
	case <-time.After(stopWait):
		signalGroup(cmd, os.Kill)
		err = <-exited
	}
	_ = err
}

// interrupted tells whether a command ended by an interrupt: killed by
// SIGINT, or exiting with 130 as programs that catch it do.
func interrupted(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGINT {
		return true
	}
	return ee.ExitCode() == 130
}

func exitStatus(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// sources lists every Go file, go.mod and go.sum of the module under dir
// with its size and modification time, sorted. Directories the go command
// ignores (starting with . or _, testdata) and nested modules are left
// out: a change there changes no build.
func sources(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			if p != dir {
				if _, err := os.Lstat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s %d %d", p, fi.Size(), fi.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("looking for changes: %w", err)
	}
	slices.Sort(out)
	return out, nil
}
