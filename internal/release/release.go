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
	"maps"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// Options say where a manifest's parts come from.
type Options struct {
	// Binary is the host executable.
	Binary string
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
	// Env is the environment of go commands; nil means os.Environ().
	Env []string

	// linked are the import paths the binary links, which the package
	// names of a base file's types are resolved among.
	linked []string
	// known are packages, by the names the host's loader uses, that a
	// type read from the loader may name.
	known []manifest.Import
}

// Build writes the manifest of the release. Warnings are things the host
// maintainer should fix; they come with an error too, when there is one.
func Build(ctx context.Context, o Options) (m *manifest.Manifest, warnings []string, err error) {
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
	if m.Host.Version == "" {
		if v := bin.Build.Main.Version; semver.IsValid(v) {
			m.Host.Version = v
		} else {
			return nil, nil, missingFlag("--host-version", ": the binary records no version of its own (%s)", v)
		}
	}
	if m.SDK.Module == "" {
		return nil, nil, missingFlag("--sdk-module", " (or sdk.module in the base file)")
	}
	m.Host.Module = bin.Build.Main.Path
	if m.SDK.Module == m.Host.Module {
		w, err := hostSource(m, bin, o)
		warnings = append(warnings, w...)
		if err != nil {
			return nil, warnings, err
		}
	}
	m.Go = bin.GoVersion()
	m.Build = buildSettings(bin)
	if err := untrimmedHostModule(m, bin); err != nil {
		return nil, warnings, err
	}
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
	more, err := takeModules(m, bin, o.SDKVersion)
	warnings = append(warnings, more...)
	if err != nil {
		return nil, warnings, err
	}
	o.linked = slices.Sorted(maps.Keys(bin.PkgHashes))
	w, err := contractFromSource(ctx, m, bin, o)
	warnings = append(warnings, w...)
	if err != nil {
		return nil, warnings, err
	}
	for i, t := range m.Contract.Types {
		if len(t.Methods) == 0 && len(t.StringFields) == 0 {
			return nil, warnings, fmt.Errorf("base file: contract.types[%d]: %s: what the looked-up functions return is read where the host's loader is read, and no loader was read (give --host-source when it is in the host's own module)", i, t.Name)
		}
	}
	if err := m.Validate(); err != nil {
		return nil, warnings, err
	}
	return m, warnings, nil
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
	if len(b.Contract.Imports) > 0 {
		fields = append(fields, "contract.imports")
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
func hostSource(m *manifest.Manifest, bin *artifact.File, o Options) (warnings []string, err error) {
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
	if src.Repository == "" {
		return warnings, missingFlag("--host-repository", ": the SDK is the host's own module, which plugins take from the host's repository")
	}
	if src.Revision == "" {
		return warnings, missingFlag("--host-revision", ": the binary records no VCS revision (build it with -buildvcs=true in its repository)")
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
