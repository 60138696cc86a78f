// Package release builds a host's release manifest from the host binary
// itself: the Go release, build settings and module list come from its
// embedded build info, the contract's method set from the SDK's source at
// the version the binary records. What a binary cannot tell (names, images,
// registration) comes from a small base file the host keeps in its
// repository. Nothing that must match is typed by hand.
package release

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/image"
	"github.com/scaffold-dev/scaffold/internal/loader"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// Options say where a manifest's parts come from.
type Options struct {
	// Binary is the host executable.
	Binary string
	// Image, instead of Binary, is the host's release image, whose
	// binary is read (see [image.Open]); BinaryPath is the binary's path
	// in it, when its entrypoint does not name it.
	Image, BinaryPath string
	// Base holds what the binary cannot tell; flags below override it.
	Base *manifest.Manifest
	// HostName and HostVersion name the release; the version defaults to
	// the one the binary records, when it records one.
	HostName, HostVersion string
	// SDKModule is the SDK's module path.
	SDKModule string
	// SDKVersion is needed only when the binary took the SDK from a
	// workspace or a directory replacement and so records no version.
	SDKVersion string
	// GOARCH lists the architectures the host ships for; default: the
	// binary's.
	GOARCH []string
	// HostRepository and HostRevision locate the host's source, for a host
	// whose SDK is its own main module; the revision defaults to the one
	// the binary records.
	HostRepository, HostRevision string
	// SDKDir is a checkout of the SDK at the release's version; without it
	// the SDK is fetched with go mod download.
	SDKDir string
	// HostSource is a checkout of the host's own module at the release,
	// where its loader is read from when the loader is in the host's
	// module; without it only the host's dependencies are searched.
	HostSource string
	// BaseSet lists the fields the base file sets (see
	// [manifest.ReadBase]); a contract read from the host's loader takes
	// only what the base file says outright.
	BaseSet map[string]bool
	// ModCache is the module cache path (GOMODCACHE) the release was
	// built with, for a binary built without -trimpath that does not
	// record it; see [modCache].
	ModCache string
	// Contract picks one of several contracts the host's code has (see
	// [loader.Options.Pick]).
	Contract string
	// Env is the environment of go commands; nil means os.Environ().
	Env []string
	// Progress, when set, is told of each step that may take a while.
	Progress func(string)
}

// Build writes the manifest of the release. Warnings are things the host
// maintainer should fix; they come with an error too, when there is one.
func Build(ctx context.Context, o Options) (m *manifest.Manifest, warnings []string, err error) {
	var img *image.Host
	if o.Image != "" {
		platform := v1.Platform{OS: "linux", Architecture: goruntime.GOARCH}
		if img, err = image.Open(ctx, o.Image, image.Options{BinaryPath: o.BinaryPath, Platform: platform}); err != nil {
			return nil, nil, err
		}
		defer img.Close()
		o.Binary = img.Binary
	}
	m, warnings, err = build(ctx, o)
	if err != nil || img == nil {
		return m, warnings, err
	}
	w, err := fromImage(m, img)
	return m, append(warnings, w...), err
}

// fromImage records what the release image tells: its digest pins the
// runtime image of the binary's C library, which the image must ship.
func fromImage(m *manifest.Manifest, img *image.Host) ([]string, error) {
	families := m.Libc.Families()
	if len(families) != 1 {
		return nil, nil
	}
	family := families[0]
	if img.Libc != "" && img.Libc != family {
		return nil, fmt.Errorf("--from-image: the image ships the %s loader, but its binary %s is linked against %s", img.Libc, img.Path, family)
	}
	if img.Runtime == "" {
		return []string{fmt.Sprintf("--from-image: the image (%s) names no repository, so libc.%s.runtime is not pinned to it", img.Digest, family)}, nil
	}
	images := m.Libc.Images(family)
	images.Runtime, images.RuntimeDigest = img.Runtime, img.Digest
	return nil, m.Validate()
}

func build(ctx context.Context, o Options) (m *manifest.Manifest, warnings []string, err error) {
	bin, err := artifact.Open(o.Binary)
	if err != nil {
		return nil, nil, fmt.Errorf("reading host binary: %w", err)
	}
	if err := bin.CheckHost(); err != nil {
		return nil, nil, err
	}
	m = new(manifest.Manifest)
	if o.Base != nil {
		if err := checkBase(o.Base); err != nil {
			return nil, nil, err
		}
		*m = *o.Base
	}
	m.SchemaVersion = manifest.SchemaVersion
	set(&m.Host.Name, o.HostName)
	set(&m.Host.Version, o.HostVersion)
	set(&m.SDK.Module, o.SDKModule)
	m.Host.Module = bin.Build.Main.Path
	if m.Host.Name == "" {
		m.Host.Name = hostName(m.Host.Module)
	}
	if m.Host.Version == "" {
		if v := bin.Build.Main.Version; semver.IsValid(v) && semver.Build(v) == "" {
			m.Host.Version = v
		} else {
			return nil, nil, missingFlag("--host-version", ": the binary records no version of its own (%s)", v)
		}
	}
	m.Go = bin.GoVersion()
	m.Build = buildSettings(bin)
	if m.Build.GOMODCACHE, err = modCache(bin, o.ModCache); err != nil {
		return nil, nil, err
	}
	if len(o.GOARCH) > 0 {
		m.Build.GOARCH = o.GOARCH
	} else if o.Base != nil && len(o.Base.Build.GOARCH) > 0 {
		m.Build.GOARCH = o.Base.Build.GOARCH
	}
	if !slices.Contains(m.Build.GOARCH, bin.Setting("GOARCH")) {
		return nil, nil, fmt.Errorf("build.goarch: %s does not list the binary's own GOARCH %s", strings.Join(m.Build.GOARCH, ", "), bin.Setting("GOARCH"))
	}
	if err := amd64Level(m, bin, o.Base); err != nil {
		return nil, nil, err
	}
	early := m.SDK.Module != ""
	if early {
		// Named: a workspace build of it is told before anything is read.
		w, err := takeModules(m, bin, o.SDKVersion)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, warnings, err
		}
		m.Modules = nil
	}
	res, err := loader.Contract(ctx, loader.Options{
		Host:          hostOf(bin),
		Source:        o.HostSource,
		SourceVersion: sourceVersion(bin),
		SDKDir:        o.SDKDir,
		SDKModule:     m.SDK.Module,
		Base:          m.Contract,
		BaseSet:       o.BaseSet,
		Pick:          o.Contract,
		Env:           o.Env,
		Progress:      o.Progress,
	})
	if res != nil {
		warnings = append(warnings, res.Warnings...)
	}
	if err != nil {
		return nil, warnings, err
	}
	m.Contract = res.Contract
	m.SDK.Module = res.SDKModule
	if m.SDK.Module == m.Host.Module {
		w, err := hostSource(ctx, m, bin, o, res.SourceVersion)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, warnings, err
		}
	}
	if err := untrimmedHostModule(m, bin); err != nil {
		return nil, warnings, err
	}
	more, err := takeModules(m, bin, o.SDKVersion)
	if !early {
		warnings = append(warnings, more...)
	}
	if err != nil {
		return nil, warnings, err
	}
	if m.Libc.Glibc == nil && m.Libc.Musl == nil {
		w, err := defaultLibc(m, bin)
		if err != nil {
			return nil, warnings, err
		}
		warnings = append(warnings, w)
	}
	if err := m.Validate(); err != nil {
		return nil, warnings, err
	}
	return m, warnings, nil
}

// defaultLibc describes the one libc family the binary is linked
// against, built in the official Go image of the host's Go release on
// that family, when no base file describes the host's own images.
func defaultLibc(m *manifest.Manifest, bin *artifact.File) (string, error) {
	goVersion := strings.TrimPrefix(m.Go, "go")
	switch bin.Libc() {
	case manifest.Glibc:
		m.Libc.Glibc = &manifest.Images{Builder: "golang:" + goVersion + "-bookworm", Runtime: "debian:bookworm-slim", Packages: []string{"make"}}
	case manifest.Musl:
		m.Libc.Musl = &manifest.Images{Builder: "golang:" + goVersion + "-alpine3.22", Runtime: "alpine:3.22", Packages: []string{"make"}}
	default:
		return "", fmt.Errorf("libc: the binary's interpreter (%q) names neither glibc nor musl: describe the host's images in a base file's libc", bin.Interp)
	}
	return fmt.Sprintf("libc: the binary is linked against %s; plugins build in the official Go image of %s, as no base file names the host's own builder and runtime images", bin.Libc(), m.Go), nil
}

// hostName names a host after its main module: the path's last element
// that is not a major version.
func hostName(module string) string {
	elems := strings.Split(module, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && semver.Major(name) == name && name != "" {
		name = elems[len(elems)-2]
	}
	return name
}

// hostOf is what the binary tells the loader of the host's build: each
// module as compiled (after replacement), and the packages it links.
func hostOf(bin *artifact.File) loader.Host {
	h := loader.Host{
		Module: bin.Build.Main.Path,
		Build: loader.Build{
			GoVersion:  bin.GoVersion(),
			GOOS:       bin.Setting("GOOS"),
			GOARCH:     bin.Setting("GOARCH"),
			CGO:        bin.Setting("CGO_ENABLED") == "1",
			Tags:       bin.Tags(),
			GOAMD64:    bin.Setting("GOAMD64"),
			Experiment: bin.Setting("GOEXPERIMENT"),
		},
	}
	for p := range bin.PkgHashes {
		if p == "main" {
			// The main package's hash goes by that name; its source is
			// at the import path the build info records.
			p = bin.Build.Path
		}
		h.Linked = append(h.Linked, p)
	}
	slices.Sort(h.Linked)
	for _, d := range bin.Build.Deps {
		m := loader.Module{Path: d.Path, Version: d.Version, Sum: d.Sum}
		if d.Version == devel {
			m.Version = ""
		}
		if r := d.Replace; r != nil {
			m.From, m.Version, m.Sum = r.Path, r.Version, r.Sum
			if r.Version == "" || r.Version == devel {
				m.From, m.Version, m.ReplaceDir = "", "", r.Path
			}
		}
		h.Modules = append(h.Modules, m)
	}
	return h
}

// sourceVersion is the version of the host's own module the module proxy
// serves its source at: the one its build stamped from the release's tag
// or revision, or else the revision itself, which the proxy resolves.
func sourceVersion(bin *artifact.File) string {
	if v := bin.Build.Main.Version; semver.IsValid(v) && semver.Build(v) == "" {
		return v
	}
	if bin.Setting("vcs.modified") == "true" {
		return ""
	}
	return bin.Setting("vcs.revision")
}

func set(field *string, value string) {
	if value != "" {
		*field = value
	}
}

// checkBase refuses a base file that sets what the binary decides: two
// sources for one value is how manifests drift from the truth.
func checkBase(b *manifest.Manifest) error {
	var fields []string
	if b.Go != "" {
		fields = append(fields, "go")
	}
	bb := b.Build
	bb.GOARCH = nil
	bb.GOAMD64 = "" // checked against the binary by amd64Level
	if !isZero(bb) {
		fields = append(fields, "build (but goarch and goamd64)")
	}
	if len(b.Modules) > 0 {
		fields = append(fields, "modules")
	}
	if b.SDK.Version != "" {
		fields = append(fields, "sdk.version")
	}
	if b.Host.Module != "" {
		fields = append(fields, "host.module")
	}
	for i, meth := range b.Contract.Methods {
		if meth.Signature != "" {
			fields = append(fields, fmt.Sprintf("contract.methods[%d].signature", i))
		}
	}
	if len(fields) > 0 {
		return fmt.Errorf("base file: %s: read from the host binary and the SDK's source; remove from the base file", strings.Join(fields, ", "))
	}
	return nil
}

func isZero(b manifest.Build) bool {
	return !b.CGO && !b.Trimpath && !b.Race && len(b.Tags) == 0 && b.Gcflags == "" && b.Asmflags == "" &&
		b.Goexperiment == "" && b.GOOS == "" && b.GOAMD64 == "" && b.GOMODCACHE == ""
}

func buildSettings(bin *artifact.File) manifest.Build {
	return manifest.Build{
		CGO:          bin.Setting("CGO_ENABLED") == "1",
		Trimpath:     bin.Setting("-trimpath") == "true",
		Race:         bin.Setting("-race") == "true",
		Tags:         bin.Tags(),
		Gcflags:      bin.Setting("-gcflags"),
		Asmflags:     bin.Setting("-asmflags"),
		Goexperiment: bin.Setting("GOEXPERIMENT"),
		GOOS:         bin.Setting("GOOS"),
		GOARCH:       []string{bin.Setting("GOARCH")},
		GOAMD64:      bin.Setting("GOAMD64"),
	}
}

const devel = "(devel)"

// takeModules copies the binary's module list. A module recorded as
// "(devel)" came from a workspace; one replaced by a directory has no
// version plugins could fetch. Either on the SDK breaks every plugin.
func takeModules(m *manifest.Manifest, bin *artifact.File, sdkVersion string) ([]string, error) {
	var warnings []string
	for _, d := range bin.Build.Deps {
		mod := manifest.Module{Path: d.Path, Version: d.Version, Sum: d.Sum}
		// A directory replacement records no version, or (devel).
		dirReplace := d.Replace != nil && (d.Replace.Version == "" || d.Replace.Version == devel)
		fromSource := d.Version == devel || dirReplace
		if d.Replace != nil {
			mod.Replace = &manifest.Module{Path: d.Replace.Path, Version: d.Replace.Version, Sum: d.Replace.Sum}
			if dirReplace {
				mod.Replace.Version = ""
			}
		}
		if d.Path == m.SDK.Module && fromSource {
			warnings = append(warnings, fmt.Sprintf("the host took the SDK %s from a workspace or a directory replace (its build info says %s): plugins that use the published SDK will not load into this binary; build the release with the SDK as a versioned module", d.Path, describe(d.Version, d.Replace)))
			if sdkVersion == "" {
				return warnings, missingFlag("--sdk-version", ": the binary records no version of the SDK %s", d.Path)
			}
			mod.Version = sdkVersion
		} else if d.Version == devel {
			return nil, fmt.Errorf("the binary records module %s as (devel): it was built in a workspace, and no plugin can reproduce that; build the release without go.work", d.Path)
		}
		m.Modules = append(m.Modules, mod)
	}
	if m.SDKIsHost() {
		return warnings, nil
	}
	sdk := m.Module(m.SDK.Module)
	if sdk == nil {
		return nil, fmt.Errorf("sdk.module: the binary does not depend on %s", m.SDK.Module)
	}
	m.SDK.Version = sdk.Version
	return warnings, nil
}

func describe(version string, r *debug.Module) string {
	if r == nil {
		return version
	}
	return version + " => " + strings.TrimSpace(r.Path+" "+r.Version)
}

// hostSource records where plugins find the host's source when the SDK is
// the host's own main module: they must build against exactly the
// revision the binary was built from.
func hostSource(ctx context.Context, m *manifest.Manifest, bin *artifact.File, o Options, fetched string) (warnings []string, err error) {
	src := manifest.Source{}
	if m.Host.Source != nil {
		src = *m.Host.Source
	}
	set(&src.Repository, o.HostRepository)
	set(&src.Revision, o.HostRevision)
	if rev := bin.Setting("vcs.revision"); rev != "" {
		if src.Revision != "" && src.Revision != rev {
			return nil, fmt.Errorf("--host-revision: %s, but the binary was built from %s", src.Revision, rev)
		}
		src.Revision = rev
	}
	if bin.Setting("vcs.modified") == "true" {
		warnings = append(warnings, "the binary was built from a checkout with uncommitted changes: plugins built against its revision may not load into it")
	}
	if src.Revision == "" {
		return warnings, missingFlag("--host-revision", ": the binary records no VCS revision (build it with -buildvcs=true in its repository)")
	}
	if src.Repository == "" {
		// No repository named: plugins take the host's module at the
		// release from the module proxy, as a public tag makes it.
		switch v := sourceVersion(bin); {
		case fetched != "":
			src.Version = fetched
		case semver.IsValid(v):
			src.Version = v
		case bin.Setting("vcs.modified") != "true":
			if src.Version, err = loader.ResolveVersion(ctx, o.Env, m.Host.Module, src.Revision); err != nil {
				return warnings, fmt.Errorf("the SDK is the host's own module, and the module proxy does not serve it at the binary's revision %s (%v): give --host-repository, where plugins clone it", src.Revision, err)
			}
		default:
			return warnings, missingFlag("--host-repository", ": the SDK is the host's own module, which plugins take from the host's repository")
		}
	}
	m.Host.Source = &src
	m.SDK.Version = ""
	return warnings, nil
}

// amd64Level sets build.goamd64 when the manifest lists amd64. An amd64
// binary records its level, which a base file may repeat but not contradict.
// A binary of another architecture records none, yet the manifest serves
// the amd64 release too: then the base file must give the level of that
// build, since guessing v1 would pass plugins an amd64 host built for v3
// refuses.
func amd64Level(m *manifest.Manifest, bin *artifact.File, base *manifest.Manifest) error {
	var given string
	if base != nil {
		given = base.Build.GOAMD64
	}
	if bin.Setting("GOARCH") == "amd64" {
		if given != "" && given != m.Build.GOAMD64 {
			return fmt.Errorf("build.goamd64: the base file says %s, the binary records %s: remove it from the base file", given, m.Build.GOAMD64)
		}
		return nil
	}
	if !slices.Contains(m.Build.GOARCH, "amd64") {
		if given != "" {
			return errors.New("build.goamd64: set in the base file, but build.goarch does not list amd64: remove it")
		}
		return nil
	}
	if given == "" {
		return fmt.Errorf("build.goamd64: the binary is GOARCH=%s, which records no GOAMD64, and build.goarch lists amd64: write the amd64 build's level (v1 unless GOAMD64 was set) as build.goamd64 in the base file, or make the manifest from the amd64 binary", bin.Setting("GOARCH"))
	}
	m.Build.GOAMD64 = given
	return nil
}
