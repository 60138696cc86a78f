// Package harness writes the build overlay of a plugin's load harness
// (make test-load). The harness opens the plugin as the host does; for the
// runtime to compare every package the host would, it must link each
// package of the host's modules that the plugin links, even when the
// contract names only standard-library types. Which those are is known
// only once the plugin's imports are, so the list is a file the overlay
// adds to the harness's package at build time, written outside the
// module's package tree: nothing the build writes becomes a package of the
// module, or a requirement go mod tidy would record.
package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/gomod"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/pins"
)

// LinksFile is the name of the file the overlay adds to the harness's
// package, and of the file in the output directory that holds it.
const LinksFile = "host_links.go"

// OverlayFile is the name of the overlay, in go build -overlay's format,
// in the output directory.
const OverlayFile = "overlay.json"

// ModFile is the name of the harness's module file in the output
// directory, a copy of the plugin's go.mod (or of the release's module
// file, in a repository built for several; and beside it of go.sum) that the harness builds with (go build -modfile): go mod tidy
// leaves the harness's package out of the plugin's module, so a module
// only the harness imports (the host's own interface, for a plugin proved
// against a copy of it) is required there, at the host's version, and
// never in the plugin's go.mod.
const ModFile = "go.mod"

// Overlay lists the packages of the host's modules the plugin b builds
// links, writes the file importing each of them into out as [LinksFile],
// and the overlay that adds it to the harness package in pkgDir as
// [OverlayFile], and, outside a workspace, the harness's module file
// [ModFile]. It returns the overlay's path.
func Overlay(ctx context.Context, b *pins.Build, pkgDir, out string) (string, error) {
	pkgs, err := b.Deps(ctx)
	if err != nil {
		return "", err
	}
	host := map[string]bool{}
	for _, v := range gomod.HostModules(b.Manifest) {
		host[v.Path] = true
	}
	if b.Manifest.SDKIsHost() {
		// The plugin imports the host's own module, from the workspace.
		host[b.Manifest.Host.Module] = true
	}
	var links []string
	for _, p := range pkgs {
		if p.Module != nil && !p.Standard && p.Name != "main" && host[p.Module.Path] && !internal(p.ImportPath) {
			links = append(links, p.ImportPath)
		}
	}
	slices.Sort(links)
	src, err := linksFile(slices.Compact(links))
	if err != nil {
		return "", err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	absPkg, err := filepath.Abs(pkgDir)
	if err != nil {
		return "", err
	}
	overlay, err := json.MarshalIndent(struct{ Replace map[string]string }{
		map[string]string{filepath.Join(absPkg, LinksFile): filepath.Join(absOut, LinksFile)},
	}, "", "\t")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(absOut, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(absOut, LinksFile), src, 0o644); err != nil {
		return "", err
	}
	path := filepath.Join(absOut, OverlayFile)
	if err := os.WriteFile(path, append(overlay, '\n'), 0o644); err != nil {
		return "", err
	}
	if !b.Manifest.SDKIsHost() {
		// In a workspace the host's source brings its requirements.
		if err := modFile(ctx, b, pkgDir, absOut, path); err != nil {
			return "", err
		}
	}
	return path, nil
}

// modFile writes the harness's module file into out: the plugin's module
// file and go.sum (the release's, in a repository built for several), and a requirement at the host's version of each module
// that provides a package the harness imports and go.mod lacks.
func modFile(ctx context.Context, b *pins.Build, pkgDir, out, overlay string) error {
	for _, f := range [][2]string{{"go.mod", b.GoMod()}, {"go.sum", b.GoSum()}} {
		name, from := f[0], f[1]
		data, err := input.ReadFile(filepath.Join(b.Dir, filepath.FromSlash(from)), input.SourceLimit)
		if errors.Is(err, os.ErrNotExist) && name == "go.sum" {
			data = nil
		} else if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	modfile := "-modfile=" + filepath.Join(out, ModFile)
	r := b.Runner()
	list, err := r.Run(ctx, "list", modfile, "-overlay="+overlay, "-e", "-deps", "-f", "{{if .Error}}{{.ImportPath}}{{end}}", "./"+filepath.ToSlash(filepath.Clean(pkgDir)))
	if err != nil {
		return fmt.Errorf("listing the load harness's packages: %w", err)
	}
	missing := strings.Fields(string(list))
	if len(missing) == 0 {
		return nil
	}
	mods := gomod.HostModules(b.Manifest)
	var get []string
	for _, p := range missing {
		m, ok := providing(mods, p)
		if !ok {
			return fmt.Errorf("the load harness imports %s, which no module of %s %s provides", p, b.Manifest.Host.Name, b.Manifest.Host.Version)
		}
		get = append(get, m.Path+"@"+m.Version)
	}
	slices.Sort(get)
	r.Env = gocmd.Setenv(r.Env, "GOFLAGS", "-mod=mod")
	if _, err := r.Run(ctx, append([]string{"get", modfile}, slices.Compact(get)...)...); err != nil {
		return fmt.Errorf("requiring the host's modules the load harness imports: %w", err)
	}
	return nil
}

// providing returns the module of mods whose path is the longest prefix of
// the package path pkg.
func providing(mods []module.Version, pkg string) (module.Version, bool) {
	var best module.Version
	for _, m := range mods {
		if (pkg == m.Path || strings.HasPrefix(pkg, m.Path+"/")) && len(m.Path) > len(best.Path) {
			best = m
		}
	}
	return best, best.Path != ""
}

// internal tells whether path has an internal element: only its own
// module's packages may import it.
func internal(path string) bool {
	return slices.Contains(strings.Split(path, "/"), "internal")
}

// linksFile is package main importing each of paths for its side effects,
// printed from its syntax tree.
func linksFile(paths []string) ([]byte, error) {
	decl := &ast.GenDecl{Tok: token.IMPORT, Lparen: 1, Rparen: 1}
	for _, p := range paths {
		decl.Specs = append(decl.Specs, &ast.ImportSpec{
			Name: ast.NewIdent("_"),
			Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(p)},
		})
	}
	f := &ast.File{Name: ast.NewIdent("main")}
	if len(paths) > 0 {
		f.Decls = []ast.Decl{decl}
	}
	var buf bytes.Buffer
	buf.WriteString("// Code generated by scaffold overlay. DO NOT EDIT.\n\n")
	if err := format.Node(&buf, token.NewFileSet(), f); err != nil {
		return nil, fmt.Errorf("writing %s: %w", LinksFile, err)
	}
	return format.Source(buf.Bytes())
}
