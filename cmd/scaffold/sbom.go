package main

import (
	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/sbom"
)

func newSBOMCmd() *cobra.Command {
	var version string
	cmd := &cobra.Command{
		Use:   "sbom PLUGIN.so",
		Short: "Write the CycloneDX SBOM of a built plugin, from its build info",
		Long: `sbom writes a software bill of materials of a built plugin (or any Go
binary) to standard output as CycloneDX ` + sbom.SpecVersion + ` JSON. It is read from the build
info the Go linker put into the file, which is the truth of what the plugin
links: every module with the version and sum it was built from, and the
settings it was built with. The same file gives the same bytes.

make release writes one beside each artifact.`,
		Example: `  scaffold sbom --version v0.1.0 dist/hello-world_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so > hello-world.cdx.json`,
		Args:    oneArg("PLUGIN.so", "plugin file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := sbom.ReadFile(args[0], sbom.Options{Version: version, Tool: "scaffold", ToolVersion: moduleVersion()})
			if err != nil {
				return err
			}
			data, err := b.Marshal()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}
	cmd.Flags().StringVar(&version, "version", "", "the plugin's `version`, when its build info has none")
	return cmd
}
