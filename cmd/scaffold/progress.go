package main

import (
	"fmt"
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

// stepLogger logs each step a command takes on w, one line each.
func stepLogger(w io.Writer) func(string) {
	return func(msg string) { fmt.Fprintln(w, "scaffold: "+msg) }
}

// meter shows slow steps' progress on standard error when it is a
// terminal, unless --quiet.
func meter(quiet bool) *progress.Meter {
	if quiet {
		return nil
	}
	return progress.ForTerminal(os.Stderr)
}
