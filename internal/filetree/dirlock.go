package filetree

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockDir locks the directory dir for this process alone, as [Root.Lock]
// does, until the file returned is closed. Messages name it name, the
// directory it is staged for, which is the one a user knows.
func lockDir(dir, name string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", name, err)
	}
	if err := flock(f, name); err != nil {
		return nil, err
	}
	return f, nil
}

// busyWait is how long a lock another process holds is waited for before
// the directory is called busy. A scaffold killed while it was starting a
// child process leaves that child holding the lock until it has exited,
// a few milliseconds after the scaffold itself: a run started at once
// must not be told that another scaffold is writing.
var busyWait = time.Second

// flock takes an exclusive lock on f, an open directory that messages
// call dir. A scaffold that holds it past busyWait is busy, and this one
// says so. f is closed when the lock is not taken.
func flock(f *os.File, dir string) error {
	deadline := time.Now().Add(busyWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if errors.Is(err, syscall.EWOULDBLOCK) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("%s: another scaffold is writing in it; run again when it has finished", dir)
		}
		return fmt.Errorf("locking %s: %w", dir, err)
	}
}
