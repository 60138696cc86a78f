package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/watch"
)

func newDevCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dev -- COMMAND [ARG...]",
		Short: "Run a command, and again after every change to the plugin's source, until Ctrl-C",
		// The watch handles interrupts itself: one ends it, with success.
		Annotations: map[string]string{annotationInterrupt: interruptDefault},
		Long: `dev runs COMMAND in the plugin's repository (make dev runs make run, which
builds, checks and runs the host with the plugin), and after every change
to the module's Go files, go.mod or go.sum it stops it (an interrupt to all
it started, a kill after 15 s) and runs it again: a Go plugin cannot be
unloaded, so a new build needs a new host process. Directories the go
command ignores (starting with . or _, testdata) are not watched.

Ctrl-C stops the command and dev, which exits 0. At a terminal, the
command runs in the terminal's foreground, as it would without dev, and
neither make nor dev is interrupted with it.`,
		Example: `  scaffold dev -- make --no-print-directory run HOST=../gateway/gateway`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usage("COMMAND: required: the command to run, after --")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return watch.Run(cmd.Context(), watch.Options{
				Dir:     ".",
				Command: args,
				Changed: "source changed: running " + args[0] + " again",
				// The command's output, and the lines between runs, go
				// straight to the terminal, as they come: scaffold run
				// makes the host's safe.
				Log: os.Stderr,
			})
		},
	}
	return cmd
}
