package filetree

import (
	"errors"
	"fmt"
	"os"
	"syscall"
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

// flock takes an exclusive lock on f, an open directory that messages
// call dir, without waiting: a scaffold that holds it is busy, and this
// one says so. f is closed when the lock is not taken.
func flock(f *os.File, dir string) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("%s: another scaffold is writing in it; run again when it has finished", dir)
		}
		return fmt.Errorf("locking %s: %w", dir, err)
	}
	return nil
}
