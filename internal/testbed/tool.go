package testbed

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Tool returns the program go install makes of pkg at version (a module
// query), as a user's go install makes it: GOFLAGS empty, the toolchain
// the module asks for. It is built once and kept in the cache directory
// ([CacheDir]) between runs, for this machine's Go release: a linter
// built from source takes minutes.
func Tool(pkg, version string) (string, error) {
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	goVersion, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %w", err)
	}
	dir := filepath.Join(cache, "tools", key(pkg, version, strings.TrimSpace(string(goVersion))))
	err = fill(dir, func(tmp string) error {
		cmd := exec.Command("go", "install", pkg+"@"+version)
		cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=", "GOTOOLCHAIN=auto")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go install %s@%s: %v\n%s", pkg, version, err, tail(out))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, path.Base(pkg)), nil
}
