package main

import (
	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/harness"
	"github.com/scaffold-dev/scaffold/internal/lock"
)

func newOverlayCmd() *cobra.Command {
	var lockFile, release, out string
	cmd := &cobra.Command{
		Use:   "overlay -o DIR HARNESS_DIR",
		Short: "Write the load harness's build overlay, linking what the plugin links of the host's modules",
		Long: `overlay writes, into DIR, a Go file that imports every package of the host's
modules (the SDK and the host's build list, as scaffold.lock records them)
that the plugin links, and a go build -overlay file adding it to the load
harness's package in HARNESS_DIR as ` + harness.LinksFile + `. Built with it, the harness
links each of those packages, so plugin.Open compares them as the host's
would. It prints the overlay's path.

make test-load runs it with DIR outside the module's package tree (a
directory starting with a dot, which the go command ignores): nothing it
writes becomes a package of the module. In a repository built for several
host releases, --release names the one the plugin was built for, as scaffold
pins takes it.`,
		Example: `  scaffold overlay -o .loadtest ./_loadtest
  go build -overlay .loadtest/overlay.json -o .loadtest/loadtest ./_loadtest`,
		Args: oneArg("HARNESS_DIR", "directory of the load harness's package"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usage("-o: required: the directory to write the overlay into")
			}
			b, err := lockBuild(cmd, lockFile, release)
			if err != nil {
				return err
			}
			path, err := harness.Overlay(cmd.Context(), b, args[0], out)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write([]byte(path + "\n"))
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&lockFile, "lock", lock.FileName, "the `file` recording the host's release")
	f.StringVarP(&out, "output", "o", "", "the `directory` to write the overlay into")
	f.StringVar(&release, "release", "", "the host release `VERSION` whose build the plugin's is, of a repository built for several (default: the newest)")
	return cmd
}
