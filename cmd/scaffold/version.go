package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// versionTemplate is what both "scaffold version" and "scaffold --version"
// print, so scripts can read either.
const versionTemplate = "scaffold version {{.Version}}\n"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "version",
		Short:       "Print scaffold's version and the template set it writes",
		Annotations: map[string]string{annotationInterrupt: interruptDefault},
		Long: `version prints the module version this scaffold was built from (as go install
recorded it; "(devel)" for a build from a checkout) and the version of the
template set it writes, which generated repositories record in scaffold.lock.`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "scaffold version %s\n", version())
			return err
		},
	}
}
