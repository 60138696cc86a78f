// Package examplefiles finds the example hosts' files checked in under
// examples/: the directory itself and the release manifests, which tests
// of many packages read as real input. It imports nothing of scaffold's
// but input, so that any package's tests can use it, the manifest
// package's among them; testbed, which builds the example world, imports
// the manifest package through gocmd.
package examplefiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// Dir finds the repository's examples directory from the working
// directory of a test or the demo: the nearest ancestor holding
// examples/gateway.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the examples directory: %w", err)
	}
	for {
		candidate := filepath.Join(dir, "examples")
		if _, err := os.Stat(filepath.Join(candidate, "gateway", "go.mod")); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no examples/gateway above the working directory")
		}
		dir = parent
	}
}

// Manifests returns the paths of the example hosts' release manifests,
// examples/*/releases/*.manifest.yaml, sorted. Finding none is an error:
// a test over no manifest would pass having checked nothing.
func Manifests() ([]string, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "releases", "*.manifest.yaml"))
	if err != nil {
		return nil, fmt.Errorf("listing the example manifests: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no example manifests in %s/*/releases", dir)
	}
	return files, nil
}

// A File is a checked-in file and its content.
type File struct {
	Path string
	Data []byte
}

// ReadManifests reads each of [Manifests], as seeds of a fuzz test.
func ReadManifests() ([]File, error) {
	paths, err := Manifests()
	if err != nil {
		return nil, err
	}
	files := make([]File, len(paths))
	for i, p := range paths {
		data, err := input.ReadFile(p, input.ManifestLimit)
		if err != nil {
			return nil, fmt.Errorf("reading an example manifest: %w", err)
		}
		files[i] = File{p, data}
	}
	return files, nil
}
