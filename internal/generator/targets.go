package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/gomod"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/render"
	"github.com/scaffold-dev/scaffold/internal/target"
)

// AuthorGo tells whether p is one of the plugin's own Go files, those of
// its package at the repository's root, where the author writes the
// plugin: in a repository built for several releases they are the
// author's alone, their build constraints aside.
func AuthorGo(p string) bool {
	return strings.HasSuffix(p, ".go") && !strings.Contains(p, "/")
}

// A Release is one host release of a repository built for several, as
// the templates see it.
type Release struct {
	M *manifest.Manifest
	// Tag is the release's build tag; "" for the newest, which builds
	// with none.
	Tag string
	// Tags are every build tag it builds with: the host's, then its own.
	Tags []string
	// ModFile is its module file, and SumFile the go.sum beside it.
	ModFile, SumFile string
	Newest           bool
	// Pins are the host's modules a plugin may share, as path@version.
	Pins []string
	// Since is the plugin version from which the plugin is built for it.
	Since string
	// Images are its builder and runtime images per libc the plugin is
	// built for, in the plugin's libc order.
	Images []ReleaseImages
}

// ReleaseImages are a release's images for one libc.
type ReleaseImages struct {
	Libc             string
	Builder, Runtime string
}

// releases lists the host releases the plugin is built for.
func (o *Options) releases() target.List {
	return target.Of(o.manifests())
}

// manifests are the manifests of the releases the plugin is built for,
// oldest first: the targets', or the one release's.
func (o *Options) manifests() []*manifest.Manifest {
	if o.Targets == nil {
		return []*manifest.Manifest{o.Manifest}
	}
	var ms []*manifest.Manifest
	for _, t := range o.Targets {
		ms = append(ms, t.Manifest)
	}
	return ms
}

// checkTargets orders the targets, fills in what the lock records of
// each, and refuses releases one repository cannot serve together.
func (o *Options) checkTargets() error {
	if o.Targets == nil {
		if o.Dropped != nil {
			return fmt.Errorf("dropped releases without targets")
		}
		return nil
	}
	for _, t := range o.Targets {
		if t.Manifest == nil {
			return fmt.Errorf("a target without a manifest")
		}
		if err := t.Manifest.Validate(); err != nil {
			return fmt.Errorf("%s %s: %w", t.Manifest.Host.Name, t.Manifest.Host.Version, err)
		}
	}
	slices.SortStableFunc(o.Targets, func(a, b lock.Target) int {
		return semver.Compare(a.Manifest.Host.Version, b.Manifest.Host.Version)
	})
	if err := target.Sort(o.manifests()); err != nil {
		return err
	}
	newest := &o.Targets[len(o.Targets)-1]
	if newest.Manifest.Digest() != o.Manifest.Digest() {
		return fmt.Errorf("%s %s is not the newest of the releases, %s", o.Manifest.Host.Name, o.Manifest.Host.Version, newest.Manifest.Host.Version)
	}
	o.Manifest, o.ManifestSource = newest.Manifest, newest.ManifestSource
	for i := range o.Targets {
		t := &o.Targets[i]
		t.ManifestDigest, t.Settings = t.Manifest.Digest(), t.Manifest.Settings()
		if t.Since == "" {
			t.Since = o.Version
		}
		if err := CheckVersion(t.Since); err != nil {
			return fmt.Errorf("%s %s: since: %w", t.Manifest.Host.Name, t.Manifest.Host.Version, err)
		}
		if err := o.checkTogether(t.Manifest); err != nil {
			return err
		}
	}
	for _, d := range o.Dropped {
		if err := CheckVersion(d.Since); err != nil {
			return fmt.Errorf("dropped %s: %w", d.Version, err)
		}
		if err := CheckVersion(d.Until); err != nil {
			return fmt.Errorf("dropped %s: %w", d.Version, err)
		}
	}
	return nil
}

// checkTogether refuses a release that cannot share a repository with
// the newest: one whose plugins build in a workspace with the host's
// source, one taking another kind of plugin, one that does not ship a
// libc the plugin is built for, and one whose build differs from the
// newest's where the repository spells a build once (the module cache
// path, the kind of builder image).
func (o *Options) checkTogether(m *manifest.Manifest) error {
	newest := o.Manifest
	name := m.Host.Name + " " + m.Host.Version
	switch {
	case m.SDKIsHost():
		return fmt.Errorf("%s: its plugins build in a Go workspace with the host's own source, which one repository cannot hold for several releases: make a repository for each release", name)
	case m.Contract.Kind != newest.Contract.Kind:
		return fmt.Errorf("%s takes %s plugins, %s %s takes %s plugins: one plugin cannot be both; make a repository for each", name, m.Contract.Kind, newest.Host.Name, newest.Host.Version, newest.Contract.Kind)
	case m.Build.GOMODCACHE != newest.Build.GOMODCACHE:
		return fmt.Errorf("%s was built from the module cache %s, %s %s from %s: one repository builds with one module cache path; make a repository for each", name, orNone(nonEmpty(m.Build.GOMODCACHE)), newest.Host.Name, newest.Host.Version, orNone(nonEmpty(newest.Build.GOMODCACHE)))
	}
	if err := CheckModuleOwn(o.Module, m); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, l := range o.Libc {
		images := m.Libc.Images(l)
		if images == nil {
			return fmt.Errorf("--libc: %s ships for %s only, not %s", name, strings.Join(m.Libc.Families(), ", "), l)
		}
		fam, err := images.BuilderFamily(l)
		if err != nil {
			return fmt.Errorf("%s: libc.%s.family: %w", name, l, err)
		}
		want, err := newest.Libc.Images(l).BuilderFamily(l)
		if err != nil {
			return fmt.Errorf("libc.%s.family: %w", l, err)
		}
		if fam != want {
			return fmt.Errorf("%s builds %s plugins in a %s image, %s %s in a %s one: the repository's Dockerfile.%s serves both only when they are alike", name, l, fam, newest.Host.Name, newest.Host.Version, want, l)
		}
	}
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// optionalFor are the optional symbols chosen that release m's contract
// has.
func (o *Options) optionalFor(m *manifest.Manifest) []string {
	return slices.DeleteFunc(slices.Clone(o.Optional), func(s string) bool { return !slices.Contains(m.Contract.Optional(), s) })
}

// requiresFor are the plugin's own requirements as release m's module
// file holds them: one below the version m's host builds is raised to it
// (checkRequires has refused one above).
func (o *Options) requiresFor(m *manifest.Manifest) []module.Version {
	var out []module.Version
	for _, r := range o.Requires {
		if host := m.Module(r.Path); host != nil && semver.Compare(r.Version, host.Version) < 0 {
			r.Version = host.Version
		}
		out = append(out, r)
	}
	return out
}

// releaseData is what the templates of a repository built for several
// releases see of each.
func (o *Options) releaseData() []Release {
	if o.Targets == nil {
		return nil
	}
	l := o.releases()
	var out []Release
	for _, t := range o.Targets {
		m := t.Manifest
		v := m.Host.Version
		r := Release{
			M:       m,
			Tags:    slices.Concat(m.Build.Tags, l.Tags(v)),
			ModFile: l.ModFile(v),
			SumFile: target.SumFile(l.ModFile(v)),
			Newest:  v == l.Newest(),
			Pins:    gomod.Pins(m),
			Since:   t.Since,
		}
		if !r.Newest {
			r.Tag = l.Tag(v)
		}
		for _, libc := range o.Libc {
			im := m.Libc.Images(libc)
			r.Images = append(r.Images, ReleaseImages{Libc: libc, Builder: im.BuilderRef(), Runtime: im.RuntimeRef()})
		}
		out = append(out, r)
	}
	return out
}

// renderAcross renders a Go file once for each release and splits the
// renderings by declaration (see [target.List.Split]): the declarations
// every release renders alike in the file itself, the others in files
// beside it, each with the build constraint of its releases.
func (o *Options) renderAcross(r *render.Renderer, fsys fs.FS, f planned, shared *Data) (filetree.Tree, error) {
	l := o.releases()
	src, err := fs.ReadFile(fsys, f.template)
	if err != nil {
		return nil, fmt.Errorf("reading template %s: %w", f.template, err)
	}
	var renders []target.Render
	for _, t := range o.Targets {
		each := *o
		each.Manifest = t.Manifest
		each.Optional = o.optionalFor(t.Manifest)
		d, err := newData(&each)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", t.Manifest.Host.Name, t.Manifest.Host.Version, err)
		}
		d.HostReleases, d.Releases = shared.HostReleases, shared.Releases
		out, err := r.Render(f.template, d)
		if err != nil {
			return nil, err
		}
		if out, err = FormatGo(f.path, out); err != nil {
			return nil, err
		}
		if err := CheckDirectives(f.path, out, src); err != nil {
			return nil, err
		}
		renders = append(renders, target.Render{Version: t.Manifest.Host.Version, Src: out})
	}
	pieces, err := l.Split(f.path, renders)
	if err != nil {
		return nil, err
	}
	tree := filetree.Tree{}
	for p, data := range pieces {
		out, err := FormatGo(p, data)
		if err != nil {
			return nil, err
		}
		h, err := target.ReadHeader(out)
		if err != nil {
			return nil, fmt.Errorf("generated %s: %w", p, err)
		}
		own := src
		if h.Expr != nil {
			own = slices.Concat(src, []byte("\n"), target.Line(h.Expr.String()))
		}
		if err := CheckDirectives(p, out, own); err != nil {
			return nil, err
		}
		tree[p] = out
	}
	return tree, nil
}

// modFiles writes each release's module file: go.mod alone for a
// repository built for one.
func (o *Options) modFiles(tree filetree.Tree) error {
	l := o.releases()
	for _, m := range o.manifests() {
		gm, err := gomod.New(o.Module, m, o.requiresFor(m))
		if err != nil {
			return err
		}
		p := l.ModFile(m.Host.Version)
		if err := CheckDirectives(p, gm, nil); err != nil {
			return err
		}
		tree[p] = gm
	}
	return nil
}

// ResolveRelease is [Resolve] for release m of a repository built for
// several: the go command reads and writes m's module file (with
// -modfile, relative to dir, in GOFLAGS, as the Makefile has it) and
// lists the packages m's build compiles, with its build tags. The
// options' Manifest and Requires are set to m's.
func ResolveRelease(ctx context.Context, dir string, o *Options, m *manifest.Manifest) error {
	l := o.releases()
	v := m.Host.Version
	each := *o
	each.Manifest, each.Requires = m, o.requiresFor(m)
	env := each.Env
	if env == nil {
		env = os.Environ()
	}
	flags := strings.Fields(gocmd.Getenv(env, "GOFLAGS"))
	if mod := l.ModFile(v); mod != "go.mod" {
		flags = append(flags, "-modfile="+mod)
	}
	if tags := slices.Concat(m.Build.Tags, l.Tags(v)); len(tags) > 0 {
		flags = append(flags, "-tags="+strings.Join(tags, ","))
	}
	each.Env = gocmd.Setenv(env, "GOFLAGS", strings.Join(flags, " "))
	each.modFile = l.ModFile(v)
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, each.modFile)), 0o755); err != nil {
		return err
	}
	if err := Resolve(ctx, dir, &each); err != nil {
		return fmt.Errorf("%s %s: %w", m.Host.Name, v, err)
	}
	return nil
}

// resolveTargets resolves every release's modules in dir, and puts the
// module files the go command completed into tree.
func (o *Options) resolveTargets(ctx context.Context, dir string, tree filetree.Tree) error {
	for _, t := range o.Targets {
		if err := ResolveRelease(ctx, dir, o, t.Manifest); err != nil {
			return err
		}
		p := o.releases().ModFile(t.Manifest.Host.Version)
		gm, err := input.ReadFile(filepath.Join(dir, p), input.SourceLimit)
		if err != nil {
			return err
		}
		tree[p] = gm
	}
	return nil
}

// hostReleases names the releases for the docs: "gateway v1.0.0",
// "gateway v0.9.0 and v1.0.0".
func (o *Options) hostReleases() string {
	l := o.releases()
	return l.Describe(l.Versions)
}

// sumFiles are the go.sum files of the releases' module files.
func (o *Options) sumFiles() []string {
	l := o.releases()
	var out []string
	for _, v := range l.Versions {
		out = append(out, target.SumFile(l.ModFile(v)))
	}
	return out
}

// images are the images per-libc files are written for: the newest
// release's, with the packages every release installs in its builder.
func (o *Options) images(libc string) *manifest.Images {
	im := o.Manifest.Libc.Images(libc)
	if o.Targets == nil || im == nil {
		return im
	}
	out := *im
	for _, t := range o.Targets {
		if other := t.Manifest.Libc.Images(libc); other != nil {
			out.Packages = append(out.Packages, other.Packages...)
		}
	}
	slices.Sort(out.Packages)
	out.Packages = slices.Compact(out.Packages)
	return &out
}

// A MatrixRow is a host release of the docs' version matrix.
type MatrixRow struct {
	// Host is the host release's version, Go its Go release, SDK its
	// SDK module and version ("" for a dropped release).
	Host, Go, SDK string
	// Plugin says which plugin versions are built for it.
	Plugin string
}

// matrix is the version matrix: the releases the plugin is built for and
// those it was, newest first.
func (o *Options) matrix() []MatrixRow {
	if o.Targets == nil {
		return nil
	}
	type row struct {
		MatrixRow
		version string
	}
	var rows []row
	for _, t := range o.Targets {
		m := t.Manifest
		rows = append(rows, row{MatrixRow{Host: m.Host.Version, Go: m.Go, SDK: m.SDK.Module + " " + m.SDK.Version, Plugin: t.Since + " and later"}, m.Host.Version})
	}
	for _, d := range o.Dropped {
		rows = append(rows, row{MatrixRow{Host: d.Version, Go: d.Go, Plugin: fmt.Sprintf("%s and later, before %s", d.Since, d.Until)}, d.Version})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return semver.Compare(b.version, a.version) })
	var out []MatrixRow
	for _, r := range rows {
		out = append(out, r.MatrixRow)
	}
	return out
}
