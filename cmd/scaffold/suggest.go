package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scaffold-dev/scaffold/internal/nearest"
)

// suggestFlags makes every command's flag errors name the flag that was
// probably meant, as cobra already does for mistyped subcommands. It wraps
// each command's own flag error function, so a command that turns flag
// errors into a usage error of its own keeps doing so.
func suggestFlags(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		prev := c.FlagErrorFunc()
		c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
			return prev(c, withSuggestion(c, err))
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// withSuggestion adds "did you mean --x?" to an unknown-flag error when one
// of the command's flags is close to what was typed.
func withSuggestion(c *cobra.Command, err error) error {
	typed, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok || typed == "" {
		return err
	}
	if name := nearestFlag(c, typed); name != "" {
		return fmt.Errorf("%w (did you mean --%s?)", err, name)
	}
	return err
}

// nearestFlag is the command's visible flag closest to typed (see
// [nearest.Name]), or "".
func nearestFlag(c *cobra.Command, typed string) string {
	var names []string
	collect := func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	}
	c.Flags().VisitAll(collect)
	c.InheritedFlags().VisitAll(collect)
	return nearest.Name(typed, names)
}
