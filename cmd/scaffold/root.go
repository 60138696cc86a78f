package main

import (
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/templates"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "scaffold",
		Short: "Make Go plugins that load into their host the first time",
		Long: `scaffold makes Go plugins (-buildmode=plugin) that load into their host.

A plugin loads only when it was built exactly like the host: the same Go patch
release, the same flags, cgo on, the same libc, and the same version of every
module the two share. A host publishes these facts with each release as a
manifest ("scaffold manifest"); "scaffold new" turns a manifest into a plugin
repository whose build cannot get them wrong; "scaffold check" says whether a
built plugin will load into the host, and why not.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newNewCmd(), newManifestCmd(), newUpgradeCmd(), newTargetCmd(), newCheckCmd(), newVersionCmd(), newSBOMCmd(), newRunCmd(), newPinsCmd(), newOverlayCmd(), newDistCmd(), newDevCmd())
	root.SetVersionTemplate(versionTemplate)
	registerCompletions(root)
	// Flag errors are usage errors; suggestions wrap them.
	onceFlags(root)
	usageErrors(root)
	suggestFlags(root)
	return root
}

// version is the module version this binary was built from, and the
// template set it writes.
func version() string {
	return moduleVersion() + " (templates " + templates.Version + ")"
}

// moduleVersion is the module version this binary was built from, as go
// install recorded it; "(devel)" for a build from a checkout.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
