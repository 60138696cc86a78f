package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/release"
)

// deriveFlags are the flags with which scaffold new and scaffold upgrade
// make the host's manifest themselves, from its binary, as scaffold
// manifest would write it, when the host publishes none.
type deriveFlags struct {
	binary      string
	image       string
	binaryPath  string
	base        string
	hostSource  string
	hostVersion string
	contract    string
}

// register adds the flags to f. For scaffold manifest, whose job they
// are, with is empty; for new and upgrade, it says they go with
// --from-binary.
func (d *deriveFlags) register(f *pflag.FlagSet, with string) {
	binary, image := "the host `executable` of the release", "the host's release `image`, instead of --from-binary: oci:DIR, oci-archive:FILE, docker-archive:FILE or a registry reference"
	if with != "" {
		binary = "make the manifest from the host `executable` of the release, as scaffold manifest would (instead of --manifest)"
		image = "make the manifest from the host's release `image` (oci:DIR, oci-archive:FILE, docker-archive:FILE or a registry reference), as scaffold manifest would"
	}
	f.StringVar(&d.binary, "from-binary", "", binary)
	f.StringVar(&d.image, "from-image", "", image)
	f.StringVar(&d.binaryPath, "binary-path", "", "with --from-image: the host binary's `path` in the image (default: the one its entrypoint runs)")
	f.StringVar(&d.base, "base", "", with+"a base `file` with what the binary cannot tell")
	f.StringVar(&d.hostSource, "host-source", "", with+"a `directory` holding the host's own module at the release, to read its plugin loader from")
	f.StringVar(&d.hostVersion, "host-version", "", with+"the release's `version` (default: the one the binary records)")
	f.StringVar(&d.contract, "contract", "", with+"the contract, when the host's code has several: a looked-up symbol's `name`, a kind, or a loader's package")
}

// check refuses the derive flags without --from-binary, and --from-binary
// beside --manifest.
func (d *deriveFlags) check(manifestGiven bool) error {
	if d.binary != "" && d.image != "" {
		return usage("--from-binary and --from-image: give one of them")
	}
	if d.binaryPath != "" && d.image == "" {
		return usage("--binary-path: only with --from-image")
	}
	if d.binary == "" && d.image == "" {
		for _, f := range []struct{ name, value string }{{"--base", d.base}, {"--host-source", d.hostSource}, {"--host-version", d.hostVersion}, {"--contract", d.contract}} {
			if f.value != "" {
				return usage(f.name + ": only with --from-binary")
			}
		}
		return nil
	}
	if manifestGiven {
		return usage("--manifest and --from-binary: give one of them")
	}
	return nil
}

// given tells whether the manifest is to be made from a binary or image.
func (d *deriveFlags) given() bool { return d.binary != "" || d.image != "" }

// options are the release options the flags give, the base file read.
func (d *deriveFlags) options(log io.Writer) (release.Options, error) {
	o := release.Options{
		Binary:      d.binary,
		Image:       d.image,
		BinaryPath:  d.binaryPath,
		HostSource:  d.hostSource,
		HostVersion: d.hostVersion,
		Contract:    d.contract,
		Progress:    stepLogger(log),
	}
	if d.base != "" {
		base, set, err := manifest.ReadBase(d.base)
		if err != nil {
			return o, err
		}
		o.Base, o.BaseSet = base, set
	}
	return o, nil
}

// build makes the release manifest, warning on log; an option only the
// binary shows is needed is a usage error.
func build(ctx context.Context, o release.Options, log io.Writer) (*manifest.Manifest, error) {
	m, warnings, err := release.Build(ctx, o)
	for _, w := range warnings {
		fmt.Fprintln(log, "scaffold: warning: "+w)
	}
	var missing *release.MissingFlagError
	if errors.As(err, &missing) {
		return nil, usageError{err}
	}
	return m, err
}

// manifest makes the release manifest from the binary, logging each step
// and warning on log.
func (d *deriveFlags) manifest(ctx context.Context, log io.Writer) (*manifest.Manifest, error) {
	o, err := d.options(log)
	if err != nil {
		return nil, err
	}
	m, err := build(ctx, o, log)
	var usage usageError
	if err != nil && d.binary != "" && !errors.As(err, &usage) {
		return nil, fmt.Errorf("--from-binary %s: %w", d.binary, err)
	}
	return m, err
}
