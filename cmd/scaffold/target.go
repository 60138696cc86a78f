package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

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
	cmd.AddCommand(newTargetAddCmd(), newTargetRemoveCmd(), newTargetListCmd())
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
			if err := checkRepoDir(dir); err != nil {
				return err
			}
			l, err := lock.Read(filepath.Join(dir, lock.FileName))
			if err != nil {
				return err
			}
			ms := l.Releases()
			list := target.Of(ms)
			w := cmd.OutOrStdout()
			for _, m := range ms {
				v := m.Host.Version
				tag := "none"
				if tags := list.Tags(v); len(tags) > 0 {
					tag = tags[0]
				}
				if !l.Multi() {
					tag = "none"
				}
				fmt.Fprintf(w, "%s %s\tGo %s\ttag %s\t%s\n", m.Host.Name, v, m.Go, tag, list.ModFile(v))
			}
			return nil
		},
	}
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

// runTarget changes the releases and reports as scaffold upgrade does.
func runTarget(cmd *cobra.Command, o *targetOptions, to upgrade.TargetOptions) error {
	to.Offline, to.DryRun, to.Version = o.offline, o.dryRun, o.version
	to.Log, to.Progress = stepLog(cmd, o.quiet), meter(o.quiet)
	res, err := upgrade.Retarget(cmd.Context(), to)
	var serr *upgrade.SettingsError
	if errors.As(err, &serr) {
		return &upgradeError{exitSettings, serr.Error()}
	}
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	if o.dryRun {
		if _, err := w.Write(res.Diff); err != nil {
			return err
		}
	}
	if err := res.WriteSummary(w, o.verbose); err != nil {
		return err
	}
	return unfinished(res, o.dryRun)
}
