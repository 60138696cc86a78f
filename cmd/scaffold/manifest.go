package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/printable"
)

// manifestOptions are the flags of scaffold manifest.
type manifestOptions struct {
	derive     deriveFlags
	out        string
	hostName   string
	sdkModule  string
	sdkVersion string
	sdkDir     string
	goarch     []string
	hostRepo   string
	hostRev    string
	modCache   string
	quiet      bool
}

func newManifestCmd() *cobra.Command {
	var o manifestOptions
	cmd := &cobra.Command{
		Use:   "manifest (--from-binary HOST | --from-image IMAGE) -o MANIFEST",
		Short: "Write a host release manifest from the host binary",
		Long: `manifest writes the release manifest of a host from the host binary's own
build info: the Go release, every build setting that must match, and the whole
module list with sums. The contract is read from the host's own loader, the
code that looks symbols up in a plugin, however it wraps plugin.Lookup: each
name it looks up, the type it asserts the result to, and whether it needs the
symbol, read from source at the versions the binary records, compiling
nothing. The loader is searched in the host's dependencies, and in its own
module when --host-source gives a checkout of it or the binary records the
revision to fetch it at. A host with several contracts (several kinds of
plugin) lists them; --contract picks one. Where no loader says, the contract
is read from the SDK's declarations the base file names.

A base file, kept in the host's repository, is optional: it adds what a binary
cannot tell (images, registration, docs and examples) and may hold the
contract to what it says.

A host built without -trimpath compiles its module cache's path into every
package from a module, and refuses plugins built from a module cache elsewhere:
the path is read from the binary's Go file table and recorded as
build.gomodcache. When the binary does not record it, give it with --gomodcache.

--from-image reads the binary from the host's release image instead: the
program its entrypoint runs (or --binary-path), with the C library the image
ships, and pins the release's runtime image to the image's digest.

It refuses a host that cannot load plugins (cgo off, statically linked, or not
importing package plugin), and
warns when the host took the SDK from a workspace or replace: plugins using the
published SDK would not load into it.`,
		Example: `  scaffold manifest --from-binary ./gateway --base manifest.base.yaml \
      --host-version v1.0.0 -o gateway-v1.0.0.manifest.yaml
  scaffold manifest --from-image oci-archive:gateway-v1.0.0.tar -o gateway.manifest.yaml`,
		Args: noArgs(": the host binary is given with --from-binary"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runManifest(cmd, &o)
		},
	}
	f := cmd.Flags()
	o.derive.register(f, "")
	f.StringVarP(&o.out, "output", "o", "", "write the manifest to `file` (.json for JSON; default: YAML to standard output)")
	f.StringVar(&o.hostName, "host-name", "", "the host's `name`")
	f.StringVar(&o.sdkModule, "sdk-module", "", "the SDK's module `path`")
	f.StringVar(&o.sdkVersion, "sdk-version", "", "the SDK `version`, when the binary took the SDK from a workspace")
	f.StringVar(&o.sdkDir, "sdk-dir", "", "a `directory` holding the SDK's source at the release's version (default: go mod download)")
	f.StringVar(&o.hostRepo, "host-repository", "", "the host's git `repository`, for a host whose plugins import its own module")
	f.StringVar(&o.hostRev, "host-revision", "", "the release's commit `hash` (default: the one the binary records)")
	f.StringVar(&o.modCache, "gomodcache", "", "the module cache `path` (GOMODCACHE) of a release built without -trimpath, when the binary does not record it")
	f.StringSliceVar(&o.goarch, "goarch", nil, "`architectures` the host ships for (default: the base file's, or the binary's)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no steps on standard error, only errors and warnings")
	return cmd
}

func runManifest(cmd *cobra.Command, o *manifestOptions) error {
	if !o.derive.given() {
		return usage("--from-binary: required (or --from-image)")
	}
	if err := o.derive.check(false); err != nil {
		return err
	}
	if o.out != "" {
		if err := filetree.CheckOutputFile(o.out); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		// Checked before the binary is read: the manifest is written
		// beside a temporary file in the same directory.
		if dir := filepath.Dir(o.out); !isDir(dir) {
			return fmt.Errorf("-o %s: the directory %s does not exist", o.out, dir)
		}
	}
	ro, err := o.derive.options(stepLog(cmd, o.quiet))
	if err != nil {
		return err
	}
	ro.HostName, ro.SDKModule, ro.SDKVersion, ro.SDKDir, ro.GOARCH = o.hostName, o.sdkModule, o.sdkVersion, o.sdkDir, o.goarch
	ro.HostRepository, ro.HostRevision, ro.ModCache = o.hostRepo, o.hostRev, o.modCache
	m, err := build(cmd.Context(), ro, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	data, err := manifest.Marshal(o.out, m)
	if err != nil {
		return err
	}
	if o.out == "" {
		// The manifest is data, written as it is.
		w := cmd.OutOrStdout()
		if pw, ok := w.(*printable.Writer); ok {
			w = pw.Underlying()
		}
		_, err := w.Write(data)
		return err
	}
	return writeFileAtomic(o.out, data)
}

// writeFileAtomic writes data to a temporary sibling of name and renames it
// into place, so a reader never sees half a file.
func writeFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return fmt.Errorf("-o %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	// Checked again: what name is may have changed while the manifest
	// was built.
	if err := filetree.CheckOutputFile(name); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	return os.Rename(tmp.Name(), name)
}

// isDir tells whether path is a directory, following symbolic links, as
// creating a file in it does.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
