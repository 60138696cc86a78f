//go:build unix

package main

import (
	"fmt"
	"syscall"
)

// minOpenFiles is the fewest open files scaffold runs with. Below it,
// measured, a file or the go command's pipes fail half way, and below
// about a dozen the Go runtime itself dies ("netpollinit failed") at the
// first file it opens: a generation could not even remove what it had
// staged. The Go runtime raises the soft limit to the hard one at start,
// so the limit checked is what `ulimit -n` set both to.
const minOpenFiles = 64

// checkOpenFiles refuses to run with fewer than minOpenFiles open files,
// before anything is opened.
func checkOpenFiles() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("reading the open file limit: %w", err)
	}
	if lim.Cur < minOpenFiles {
		return fmt.Errorf("the open file limit (ulimit -n) is %d, and scaffold, with the go commands it runs, needs at least %d: raise it, as with ulimit -n 1024", lim.Cur, minOpenFiles)
	}
	return nil
}
