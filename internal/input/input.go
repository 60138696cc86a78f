// Package input reads the files scaffold is given: manifests, base files,
// locks, a repository's files, host binaries and plugins. Each is treated
// as hostile. Only a regular file is read, which is checked on the open
// file itself, opened without blocking, so that a FIFO given as a manifest
// cannot hang the command and /dev/zero cannot be read until memory runs
// out; and no file is read beyond a limit fit for what it is, so that a
// 200 MB manifest is refused at once rather than parsed.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Limits for the kinds of file scaffold reads. Each is far above what a
// real file of the kind holds and far below what would exhaust memory.
const (
	// ManifestLimit bounds a release manifest or a base file: a host with
	// a thousand modules writes about 200 KB.
	ManifestLimit = 8 << 20
	// LockLimit bounds a lock file, which holds every generated file.
	LockLimit = 32 << 20
	// SourceLimit bounds one file of a repository: go.mod, go.sum, a
	// generated file.
	SourceLimit = 16 << 20
	// BinaryLimit bounds a host binary or a plugin; real hosts are some
	// hundred megabytes.
	BinaryLimit = 4 << 30
)

// ErrNotRegular is the error of a path that is not a regular file: a
// directory, a device, a FIFO, a socket.
var ErrNotRegular = errors.New("not a regular file")

// A TooLargeError says a file is larger than its kind may be.
type TooLargeError struct {
	Name  string
	Size  int64 // -1 when the file grew while it was read
	Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s grew beyond %s while it was read", e.Name, Size(e.Limit))
	}
	return fmt.Sprintf("%s is %s, more than the %s such a file may be", e.Name, Size(e.Size), Size(e.Limit))
}

// ReadFile reads the regular file at name, at most limit bytes.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := Open(name, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, name, limit)
}

// Open opens the regular file at name for reading, without blocking, and
// checks that it is no larger than limit. A symbolic link is followed; what
// it leads to must be a regular file.
func Open(name string, limit int64) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	if err := Check(f, name, limit); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Check checks that the open file f, called name in messages, is a
// regular file of at most limit bytes. A caller that opens files itself
// (through an os.Root, say) opens them with [OpenFlags] and checks them
// here before reading.
func Check(f *os.File, name string, limit int64) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return CheckInfo(fi, name, limit)
}

// CheckInfo is [Check] for a file's information.
func CheckInfo(fi fs.FileInfo, name string, limit int64) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: %w: it is %s", name, ErrNotRegular, Kind(fi.Mode()))
	}
	if fi.Size() > limit {
		return &TooLargeError{Name: name, Size: fi.Size(), Limit: limit}
	}
	return nil
}

// ReadAll reads r to its end, refusing more than limit bytes: a file can
// grow after it was checked.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Name: name, Size: -1, Limit: limit}
	}
	return data, nil
}

// OpenFlags are the flags to open an input file with, besides O_RDONLY:
// they keep a FIFO or a terminal from blocking the open or becoming the
// process's controlling terminal.
const OpenFlags = openFlags

// Kind names the type of a file that is not a regular one, for messages
// that refuse it: every refusal, of an input or of an output, says it alike.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + m.String()
}

// Size writes a byte count for people: 8 MiB, 200.0 MB.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}
