// Package publish finishes a plugin's release directory (make release,
// make release-dist): every artifact the plugin ships must be there, each
// gets a CycloneDX SBOM beside it, and SHA256SUMS lists every file of the
// directory.
//
// A release that silently lacks an artifact the host ships for (an
// architecture whose cross compiler was missing, a libc this machine
// cannot link) reaches users as a plugin that does not exist for their
// host; so a missing artifact fails the release, naming each one, unless
// the caller says a partial release is meant.
package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/sbom"
)

// SumsFile is the name of the checksum file in the release directory.
const SumsFile = "SHA256SUMS"

// SBOMSuffix replaces an artifact's .so in the name of its SBOM.
const SBOMSuffix = ".cdx.json"

// Options describe one release.
type Options struct {
	// Dir is the release directory.
	Dir string
	// Shipped are the file names of every artifact the plugin ships.
	Shipped []string
	// Partial releases the artifacts Dir holds even when some of Shipped
	// are missing.
	Partial bool
	// SBOM names the plugin's version and the tool in each SBOM.
	SBOM sbom.Options
	// Log receives a line per file written, and the missing artifacts of
	// a partial release.
	Log io.Writer
}

// Finish checks that Dir holds every shipped artifact, writes an SBOM
// beside each artifact it holds, and SHA256SUMS of every file in it.
func Finish(o Options) error {
	var missing, present []string
	for _, name := range o.Shipped {
		if err := checkName(name); err != nil {
			return err
		}
		fi, err := os.Lstat(filepath.Join(o.Dir, name))
		switch {
		case errors.Is(err, os.ErrNotExist):
			missing = append(missing, name)
		case err != nil:
			return err
		case !fi.Mode().IsRegular():
			return fmt.Errorf("%s: not a regular file", filepath.Join(o.Dir, name))
		default:
			present = append(present, name)
		}
	}
	if len(missing) > 0 && !o.Partial {
		return fmt.Errorf("%s lacks %d of the %d artifacts the plugin ships: %s; build them (make all says what each needs), or release what is there with PARTIAL=1",
			o.Dir, len(missing), len(o.Shipped), strings.Join(missing, ", "))
	}
	if len(present) == 0 {
		return fmt.Errorf("%s holds none of the artifacts the plugin ships: %s", o.Dir, strings.Join(o.Shipped, ", "))
	}
	for _, name := range missing {
		logf(o.Log, "not released (PARTIAL=1): %s", name)
	}
	for _, name := range present {
		b, err := sbom.ReadFile(filepath.Join(o.Dir, name), o.SBOM)
		if err != nil {
			return err
		}
		data, err := b.Marshal()
		if err != nil {
			return err
		}
		out := strings.TrimSuffix(name, ".so") + SBOMSuffix
		if err := writeFile(filepath.Join(o.Dir, out), data); err != nil {
			return err
		}
		logf(o.Log, "wrote %s", filepath.Join(o.Dir, out))
	}
	if err := WriteSums(o.Dir); err != nil {
		return err
	}
	logf(o.Log, "wrote %s", filepath.Join(o.Dir, SumsFile))
	return nil
}

// checkName refuses an artifact name that is not a plain file name: the
// Makefile passes them, and each must stay inside the release directory.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") {
		return fmt.Errorf("artifact %q: not a file name", name)
	}
	return nil
}

// WriteSums writes dir/SHA256SUMS, as sha256sum writes it, of every regular
// file in dir but the checksum file itself and its signatures, sorted by
// name. A subdirectory or a link is refused: what the release ships is
// what the sums cover.
func WriteSums(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var b strings.Builder
	var names []string
	for _, e := range entries {
		name := e.Name()
		if name == SumsFile || strings.HasPrefix(name, SumsFile+".") {
			continue
		}
		if !e.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file, and a release holds nothing else", filepath.Join(dir, name))
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		sum, err := fileSum(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, name)
	}
	return writeFile(filepath.Join(dir, SumsFile), []byte(b.String()))
}

func fileSum(path string) (string, error) {
	f, err := input.Open(path, input.BinaryLimit)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeFile writes through a temporary file renamed into place, so that an
// interrupted release leaves no half-written SBOM or sums.
func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}
