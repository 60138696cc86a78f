// Package modproxy writes a file-based Go module proxy: a directory that
// GOPROXY=file:///dir serves exactly as a network proxy would. Modules served
// this way are fetched, hashed and recorded in go.sum like any published
// module, which is what host and plugin builds must see for their
// comparisons to mean anything.
package modproxy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

// A Source is one module version and the directory holding its files.
type Source struct {
	module.Version
	Dir string
}

// Scan finds module sources under root laid out as PATH@VERSION
// directories, e.g. root/example.com/textkit@v1.0.0.
func Scan(root string) ([]Source, error) {
	var srcs []Source
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		modPath, version, ok := strings.Cut(filepath.ToSlash(rel), "@")
		if !ok {
			return nil
		}
		v := module.Version{Path: modPath, Version: version}
		if err := module.Check(v.Path, v.Version); err != nil {
			return fmt.Errorf("module source %s: %w", path, err)
		}
		srcs = append(srcs, Source{Version: v, Dir: path})
		return filepath.SkipDir
	})
	if err != nil {
		return nil, fmt.Errorf("scanning module sources: %w", err)
	}
	return srcs, nil
}

// stamp is the time every served version claims: a fixed time keeps the
// proxy's bytes the same on every run.
var stamp = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Write serves srcs from dir, adding to what dir already serves.
func Write(dir string, srcs []Source) error {
	versions := map[string][]string{}
	for _, src := range srcs {
		if err := writeVersion(dir, src); err != nil {
			return fmt.Errorf("serving %s: %w", src.Version, err)
		}
		versions[src.Path] = append(versions[src.Path], src.Version.Version)
	}
	for path, vs := range versions {
		escaped, err := module.EscapePath(path)
		if err != nil {
			return err
		}
		list := filepath.Join(dir, escaped, "@v", "list")
		if old, err := os.ReadFile(list); err == nil {
			vs = append(vs, strings.Fields(string(old))...)
		}
		vs = uniq(vs)
		if err := os.WriteFile(list, []byte(strings.Join(vs, "\n")+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func uniq(vs []string) []string {
	sort.Slice(vs, func(i, j int) bool { return semver.Compare(vs[i], vs[j]) < 0 })
	out := vs[:0]
	for i, v := range vs {
		if i == 0 || v != vs[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func writeVersion(dir string, src Source) error {
	escPath, err := module.EscapePath(src.Path)
	if err != nil {
		return err
	}
	escVersion, err := module.EscapeVersion(src.Version.Version)
	if err != nil {
		return err
	}
	vdir := filepath.Join(dir, escPath, "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(vdir, escVersion)
	gomod, err := os.ReadFile(filepath.Join(src.Dir, "go.mod"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".mod", gomod, 0o644); err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{src.Version.Version, stamp})
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return err
	}
	f, err := os.Create(base + ".zip")
	if err != nil {
		return err
	}
	if err := zip.CreateFromDir(f, src.Version, src.Dir); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// URL is the GOPROXY value that serves dir.
func URL(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	return "file://" + filepath.ToSlash(abs)
}
