package main

import (
	"os"
	"path/filepath"

	"github.com/scaffold-dev/scaffold/internal/lock"
)

// enclosingRepo returns the nearest directory above dir that holds a
// scaffold.lock, as a path from dir ("..", "../.."), when dir itself holds
// none: a command run in a subdirectory of a plugin's repository can then
// say where the repository is. It returns "" when dir has a lock of its
// own or no directory above it has one.
func enclosingRepo(dir string) string {
	if _, err := os.Lstat(filepath.Join(dir, lock.FileName)); err == nil {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	up := ".."
	for p := filepath.Dir(abs); ; p, up = filepath.Dir(p), filepath.Join(up, "..") {
		if fi, err := os.Lstat(filepath.Join(p, lock.FileName)); err == nil && fi.Mode().IsRegular() {
			return filepath.Join(dir, up)
		}
		if p == filepath.Dir(p) {
			return ""
		}
	}
}
