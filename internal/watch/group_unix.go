//go:build unix

package watch

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup signals the command's whole group.
func signalGroup(cmd *exec.Cmd, sig os.Signal) {
	_ = syscall.Kill(-cmd.Process.Pid, sig.(syscall.Signal))
}

// A terminal is the controlling terminal the watch took the foreground of,
// or nil when it runs without one, or not in its foreground.
type terminal struct {
	tty  *os.File
	was  int // the foreground group before
	self int // the watch's own group
}

// takeTerminal puts the watch in a process group of its own and makes it
// the terminal's foreground, when the watch runs in the foreground of one.
func takeTerminal() *terminal {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil
	}
	fg, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	if err != nil || fg != unix.Getpgrp() {
		tty.Close()
		return nil
	}
	if err := unix.Setpgid(0, 0); err != nil {
		tty.Close()
		return nil
	}
	// A process in a background group that sets the foreground is sent
	// SIGTTOU, which would stop it: the watch ignores it.
	signal.Ignore(syscall.SIGTTOU)
	t := &terminal{tty: tty, was: fg, self: unix.Getpgrp()}
	t.take()
	return t
}

func (t *terminal) setForeground(pgid int) {
	if t != nil {
		_ = unix.IoctlSetPointerInt(int(t.tty.Fd()), unix.TIOCSPGRP, pgid)
	}
}

// give makes the group of the command pid leads the foreground.
func (t *terminal) give(pid int) { t.setForeground(pid) }

// take makes the watch's own group the foreground again.
func (t *terminal) take() {
	if t != nil {
		t.setForeground(t.self)
	}
}

// restore gives the foreground back to the group that had it.
func (t *terminal) restore() {
	if t != nil {
		t.setForeground(t.was)
		t.tty.Close()
	}
}
