package main

import (
	"debug/buildinfo"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/target"
	"github.com/scaffold-dev/scaffold/internal/upgrade"
)

// targetOptions are the flags of scaffold target add and remove.
type targetOptions struct {
	manifestFile string
	version      string
	dryRun       bool
	offline      bool
	quiet        bool
	verbose      bool
	accept       bool
	derive       deriveFlags
}

func newTargetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "target",
		Short: "Change the host releases a plugin repository is built for",
		Long: `target adds a host release to those a plugin repository is built for, drops
one, or lists them.

A repository built for several releases builds once for each, with that
release's Go toolchain, flags and module file: go.mod for the newest,
releases/VERSION/go.mod (and go.sum) for the others. The Makefile's RELEASE
picks one (make build RELEASE=v1.0.0); without it, make build, all, pins,
test, test-load and check run once for each. Code the releases share has no
build constraint; where their contracts differ, the declarations of some
releases are in files whose //go:build line selects them by their release
tags (gateway_v0.9.0), the newest building with none.

scaffold upgrade on such a repository adds the new release and drops the
oldest, which target add and target remove do one at a time.

Exit codes, as scaffold upgrade's: 0 done, 1 error (nothing was changed), 3
files hold conflict markers to resolve, 4 the code must change for the added
release's contract, 5 the added release changes the module proxy, checksum
or compiler settings (--accept-settings takes them).`,
	}
	cmd.AddCommand(newTargetAddCmd(), newTargetRemoveCmd(), newTargetListCmd(), newTargetOfCmd())
	return cmd
}

func (o *targetOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.version, "plugin-version", "", "the plugin's `version` from which the change holds: the Makefile's VERSION, and the docs' version matrix (default: the version scaffold.lock records)")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the unified diff of every change and write nothing")
	f.BoolVar(&o.offline, "offline", false, "skip downloading modules; the module file is completed later with make tidy")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no steps and no progress on standard error, only errors")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "list every module that moved, not only how many moved which way")
}

func newTargetAddCmd() *cobra.Command {
	var o targetOptions
	cmd := &cobra.Command{
		Use:   "add --manifest MANIFEST [DIR]",
		Short: "Build the plugin for one more host release",
		Long: `add makes the plugin repository in DIR (default: the current directory) build
for the host release the manifest describes too.

The release takes after the release before it (the newest older one; for a
release older than all, the oldest): every Go file built for that one is
built for it too, and its module file starts as that one's, moved to the new
release's Go release and module versions as scaffold upgrade moves go.mod,
your own requirements kept. Where its contract differs from that release's,
members it adds get stubs in a file built for it alone, and members it
changes are reported with the file and line to fix: your code is never
rewritten. The generated files are merged three ways, as scaffold upgrade
merges them.

For a host that publishes no manifest, --from-binary or --from-image makes
it from the release's binary or image, as scaffold new does.`,
		Example: `  scaffold target add --manifest gateway-v1.1.0.manifest.yaml
  scaffold target add --manifest gateway-v1.1.0.manifest.yaml --plugin-version v0.3.0 ./my-plugin
  scaffold target add --from-binary ./gateway-v1.1.0`,
		Args: optionalArg("DIR", "plugin repository"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if err := o.derive.check(o.manifestFile != ""); err != nil {
				return err
			}
			if o.manifestFile == "" && !o.derive.given() {
				return usage("missing --manifest: the manifest of the host release to build for (or --from-binary: its binary)")
			}
			if err := checkRepoDir(dir); err != nil {
				return err
			}
			var (
				m      *manifest.Manifest
				source string
				err    error
			)
			if o.derive.given() {
				m, err = o.derive.manifest(cmd.Context(), stepLog(cmd, o.quiet))
			} else {
				m, source, err = readManifest(cmd.Context(), o.manifestFile)
			}
			if err != nil {
				return err
			}
			return runTarget(cmd, &o, upgrade.TargetOptions{
				Options: upgrade.Options{Dir: dir, Manifest: m, ManifestSource: source, AcceptSettings: o.accept},
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.manifestFile, "manifest", "", "the host release's `manifest` (YAML or JSON): a file, or an https:// URL, pinned with #sha256=HEX")
	f.BoolVar(&o.accept, "accept-settings", false, "take the release's module proxy, checksum and compiler settings where they differ from the release it takes after's, which are otherwise shown and refused")
	o.register(cmd)
	o.derive.register(f, "with --from-binary: ")
	return cmd
}

func newTargetRemoveCmd() *cobra.Command {
	var o targetOptions
	cmd := &cobra.Command{
		Use:   "remove RELEASE [DIR]",
		Short: "Stop building the plugin for a host release",
		Long: `remove stops building the plugin repository in DIR (default: the current
directory) for the host release RELEASE (its host version, such as v0.9.0).

Its module file and go.sum go, and so does every Go file built for it alone;
the build constraints of the others are rewritten for the releases left, and
a file built for all of them loses its constraint. The docs' version matrix
records that the plugin was built for it, up to --plugin-version. The
generated files are merged three ways, as scaffold upgrade merges them.`,
		Example: `  scaffold target remove v0.9.0
  scaffold target remove v0.9.0 --plugin-version v0.4.0 ./my-plugin`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("RELEASE: give the host version of the release to stop building for, such as v0.9.0")}
			}
			if len(args) > 2 {
				return usageError{fmt.Errorf("too many arguments: give RELEASE and at most one DIR")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 2 {
				dir = args[1]
			}
			if err := manifest.CheckToken(args[0]); err != nil {
				return fmt.Errorf("RELEASE: %w", err)
			}
			if err := checkRepoDir(dir); err != nil {
				return err
			}
			return runTarget(cmd, &o, upgrade.TargetOptions{
				Options: upgrade.Options{Dir: dir},
				Remove:  []string{args[0]},
			})
		},
	}
	o.register(cmd)
	return cmd
}

func newTargetListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list [DIR]",
		Short: "List the host releases a plugin repository is built for",
		Long: `list prints the host releases the plugin repository in DIR (default: the
current directory) is built for, oldest first: each one's version, Go
release, build tag and module file, as its scaffold.lock records them.`,
		Args: optionalArg("DIR", "plugin repository"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			l, err := readRepoLock(dir)
			if err != nil {
				return err
			}
			ms := l.Releases()
			list := target.Of(ms)
			w := cmd.OutOrStdout()
			for _, m := range ms {
				v := m.Host.Version
				// The newest release, the only one of a repository
				// built for one, builds with no tag of its own.
				tag := "none"
				if tags := list.Tags(v); len(tags) > 0 {
					tag = tags[0]
				}
				fmt.Fprintf(w, "%s %s\tGo %s\ttag %s\t%s\n", m.Host.Name, v, m.Go, tag, list.ModFile(v))
			}
			return nil
		},
	}
}

func newTargetOfCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "of HOST [DIR]",
		Short: "Print the host release a host binary is, of those a plugin repository is built for",
		Long: `of prints which of the host releases the plugin repository in DIR (default:
the current directory) is built for the host binary HOST is: the release
whose Go release and module versions its build info records. make check
HOST=path checks the build for that release alone.`,
		Args: argAndOptional("HOST", "host binary", "one DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 2 {
				dir = args[1]
			}
			l, err := readRepoLock(dir)
			if err != nil {
				return err
			}
			f, err := input.Open(args[0], input.BinaryLimit)
			if err != nil {
				return fmt.Errorf("HOST: %w", err)
			}
			defer f.Close()
			b, err := buildinfo.Read(f)
			if err != nil {
				return fmt.Errorf("HOST %s: no Go build info: %w", args[0], err)
			}
			m, err := releaseOf(b, l.Releases())
			if err != nil {
				return fmt.Errorf("HOST %s: %w", args[0], err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), m.Host.Version)
			return err
		},
	}
}

// releaseOf returns the release of releases a host's build info records:
// its Go release and module versions, and where two releases agree on
// those, its main module's version.
func releaseOf(b *buildinfo.BuildInfo, releases []*manifest.Manifest) (*manifest.Manifest, error) {
	var match []*manifest.Manifest
	var versions []string
	for _, m := range releases {
		versions = append(versions, m.Host.Version)
		if m.Host.Module != "" && b.Main.Path != m.Host.Module {
			return nil, fmt.Errorf("is %s, and the repository is built for %s (%s)", b.Main.Path, m.Host.Name, m.Host.Module)
		}
		if hostIsRelease(b, m) {
			match = append(match, m)
		}
	}
	if len(match) > 1 {
		for _, m := range match {
			if m.Host.Version == b.Main.Version {
				return m, nil
			}
		}
	}
	switch len(match) {
	case 0:
		return nil, fmt.Errorf("is none of the releases the repository is built for (%s): with its release manifest, scaffold target add --manifest MANIFEST", strings.Join(versions, " "))
	case 1:
		return match[0], nil
	}
	var names []string
	for _, m := range match {
		names = append(names, m.Host.Version)
	}
	return nil, fmt.Errorf("has the Go release and module versions of %s alike: give the release, make check HOST=... RELEASE=VERSION", strings.Join(names, " and "))
}

// checkRepoDir refuses a DIR that is missing or inside a plugin
// repository rather than its root.
func checkRepoDir(dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("DIR %s: no such directory: give the plugin's repository, or run in it", dir)
	}
	if repo := enclosingRepo(dir); repo != "" {
		return fmt.Errorf("%s is not the root of a plugin repository scaffold generated: the repository is %s: run there, or give it as DIR", dir, repo)
	}
	return nil
}

// readRepoLock reads the lock of the plugin repository in dir.
func readRepoLock(dir string) (*lock.Lock, error) {
	if err := checkRepoDir(dir); err != nil {
		return nil, err
	}
	return lock.Read(filepath.Join(dir, lock.FileName))
}

// runTarget changes the releases and reports as scaffold upgrade does.
func runTarget(cmd *cobra.Command, o *targetOptions, to upgrade.TargetOptions) error {
	to.Offline, to.DryRun, to.Version = o.offline, o.dryRun, o.version
	to.Log, to.Progress = stepLog(cmd, o.quiet), meter(o.quiet)
	res, err := upgrade.Retarget(cmd.Context(), to)
	return report(cmd.OutOrStdout(), res, err, o.dryRun, o.verbose)
}
