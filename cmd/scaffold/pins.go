package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/pins"
	"github.com/scaffold-dev/scaffold/internal/target"
)

func newPinsCmd() *cobra.Command {
	var lockFile, release, get string
	var tidy bool
	cmd := &cobra.Command{
		Use:   "pins [--tidy | --get MODULE]",
		Short: "Check that the plugin compiles every module it shares with the host at the host's version",
		Long: `pins holds a plugin's build to its host's module versions, which the host
release's manifest in scaffold.lock records: every module from which the
plugin's build compiles a package (go list -deps, with the host's build tags),
and which the host builds too, must be at the host's version, from the same
source (no workspace, no replacement the host does not make). A module the
host would refuse is named on standard error, with the fix, and pins fails.

The generated Makefile runs it in the plugin's repository, with the
environment it builds with (GOOS, GOARCH, GOFLAGS, GOWORK, proxy settings):
make pins, before every build; make tidy (--tidy); make get (--get).

--tidy runs go mod tidy, requires the host's version of every module the
plugin compiles at another and tidies again, then checks: a module a
dependency needs above the host's version is named, not lowered.

--get runs go get MODULE, then checks; when either fails, go.mod and go.sum
are put back as they were, byte for byte.

In a repository built for several host releases, --release names the one
to hold the build to: its manifest, module file (go.mod for the newest,
releases/VERSION/go.mod for the others) and build tags, as the lock records
them; make runs pins once for each.`,
		Example: `  scaffold pins
  scaffold pins --get example.com/textkit@v1.1.0
  scaffold pins --release v0.9.0`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if tidy && cmd.Flags().Changed("get") {
				return usage("--tidy and --get: give one")
			}
			b, err := lockBuild(cmd, lockFile, release)
			if err != nil {
				return err
			}
			switch {
			case tidy:
				return b.Tidy(cmd.Context())
			case cmd.Flags().Changed("get"):
				return b.Get(cmd.Context(), get)
			}
			return b.Check(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVar(&lockFile, "lock", lock.FileName, "the `file` recording the host's release")
	f.BoolVar(&tidy, "tidy", false, "run go mod tidy and require the host's versions first")
	f.StringVar(&get, "get", "", "run go get `MODULE` (path@version) first; undo it when refused")
	f.StringVar(&release, "release", "", "the host release `VERSION` to hold the build to, of a repository built for several (default: the newest)")
	return cmd
}

// lockBuild is the plugin's build in the current directory for a host
// release the lock at lockFile records: release, or the lock's own (the
// newest). In a repository built for several releases it takes that
// release's module file and build tags, as the Makefile builds it.
func lockBuild(cmd *cobra.Command, lockFile, release string) (*pins.Build, error) {
	l, err := lock.Read(lockFile)
	if err != nil {
		return nil, err
	}
	b := &pins.Build{Env: os.Environ(), Manifest: l.Manifest, Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
	if release == "" {
		return b, nil
	}
	if !l.Multi() {
		if release != l.Manifest.Host.Version {
			return nil, usage(fmt.Sprintf("--release %s: %s records %s %s alone", release, lockFile, l.Manifest.Host.Name, l.Manifest.Host.Version))
		}
		return b, nil
	}
	list := target.Of(l.Releases())
	t := l.Target(release)
	if t == nil {
		return nil, usage(fmt.Sprintf("--release %s: %s records %s", release, lockFile, list.Describe(list.Versions)))
	}
	b.Manifest = t.Manifest
	b.ModFile = list.ModFile(release)
	b.Tags = slices.Concat(t.Manifest.Build.Tags, list.Tags(release))
	return b, nil
}
