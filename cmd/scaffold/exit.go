package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Exit codes every subcommand shares. A subcommand's own verdicts (check's
// incompatible, upgrade's behind or conflicts) use small numbers of their
// own; a usage error has a code none of them uses, so a script that
// branches on a verdict never takes a mistyped flag for one.
const (
	// exitError: the command failed; nothing was changed.
	exitError = 1
	// exitUsage: the command line cannot be run: an unknown flag or
	// command, a flag without its value, too many arguments, a required
	// flag missing, flags that exclude each other (sysexits' EX_USAGE).
	exitUsage = 64
	// exitInterrupted: Ctrl-C, or Ctrl-D at a question (128 + SIGINT, as
	// shells report a command ended by it).
	exitInterrupted = 130
)

// A usageError is a command line scaffold cannot run.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }
func (e usageError) ExitCode() int { return exitUsage }

func usage(msg string) error { return usageError{errors.New(msg)} }

// usageErrors makes the flag and argument errors of cmd and its
// subcommands usage errors.
func usageErrors(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	if args := cmd.Args; args != nil {
		cmd.Args = func(cmd *cobra.Command, list []string) error {
			if err := args(cmd, list); err != nil {
				var u usageError
				if errors.As(err, &u) {
					return err
				}
				return usageError{err}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		usageErrors(sub)
	}
}
