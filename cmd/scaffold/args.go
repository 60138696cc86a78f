package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// The positional arguments of each command are checked here, so that a
// wrong count is a usage error naming the argument the command takes, as
// its usage line spells it, rather than cobra's "accepts 1 arg(s),
// received 2" or, for a command that takes none, "unknown command".

// oneArg takes exactly one argument, name, which is what.
func oneArg(name, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			return usage(name + ": required: the " + what)
		case len(args) > 1:
			return usage(fmt.Sprintf("%s: give one %s, not %d: %s", name, what, len(args), quoted(args)))
		}
		return nil
	}
}

// optionalArg takes at most one argument, name, which is what.
func optionalArg(name, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > 1 {
			return usage(fmt.Sprintf("%s: give at most one %s, not %d: %s", name, what, len(args), quoted(args)))
		}
		return nil
	}
}

// argAndOptional takes one argument, name, which is what, and then at
// most one more, opt.
func argAndOptional(name, what, opt string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			return usage(name + ": required: the " + what)
		case len(args) > 2:
			return usage(fmt.Sprintf("give %s and at most %s, not %d arguments: %s", name, opt, len(args), quoted(args)))
		}
		return nil
	}
}

// noArgs takes no argument; hint says where the value a stray argument
// most likely is goes instead.
func noArgs(hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usage(fmt.Sprintf("unexpected %s %s: %s takes no arguments%s", plural(len(args), "argument", "arguments"), quoted(args), cmd.CommandPath(), hint))
		}
		return nil
	}
}

// plural is one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// quoted lists args as Go strings, so that an empty or odd argument is
// seen for what it is.
func quoted(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, " ")
}
