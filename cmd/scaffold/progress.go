package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/progress"
)

// stepLog is where a command's steps are logged: standard error, or
// nowhere with --quiet.
func stepLog(cmd *cobra.Command, quiet bool) io.Writer {
	if quiet {
		return io.Discard
	}
	return cmd.ErrOrStderr()
}

// meter shows slow steps' progress on standard error when it is a
// terminal, unless --quiet.
func meter(quiet bool) *progress.Meter {
	if quiet {
		return nil
	}
	return progress.ForTerminal(os.Stderr)
}
