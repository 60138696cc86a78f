package main

import (
	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/publish"
	"github.com/scaffold-dev/scaffold/internal/sbom"
)

func newDistCmd() *cobra.Command {
	var version string
	var partial bool
	cmd := &cobra.Command{
		Use:   "dist --version VERSION [--partial] DIR ARTIFACT...",
		Short: "Finish a release directory: every shipped artifact, an SBOM of each, SHA256SUMS",
		Long: `dist finishes a plugin's release directory DIR, as make release (and
make release-dist, after CI's builds) runs it. ARTIFACT... are the file names
of every artifact the plugin ships, which the Makefile spells: each must be in
DIR, and dist fails naming every one that is not, unless --partial. Beside each
artifact there it writes a CycloneDX SBOM (NAME.cdx.json, as scaffold sbom
writes it), and then SHA256SUMS of every file in DIR, as sha256sum writes it,
which sha256sum -c checks. Nothing but make release writes SHA256SUMS.`,
		Example: `  scaffold dist --version v1.2.0 dist hello-world_v1.2.0_gateway-v1.0.0_linux_amd64_glibc.so`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usage("DIR ARTIFACT...: give the release directory and the artifacts the plugin ships")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if version == "" {
				return usage("--version: required: the plugin's version, for the SBOMs")
			}
			return publish.Finish(publish.Options{
				Dir:     args[0],
				Shipped: args[1:],
				Partial: partial,
				SBOM:    sbom.Options{Version: version, Tool: "scaffold", ToolVersion: moduleVersion()},
				Log:     cmd.OutOrStdout(),
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&version, "version", "", "the plugin's `version`")
	f.BoolVar(&partial, "partial", false, "release the artifacts DIR holds, even when some are missing")
	return cmd
}
