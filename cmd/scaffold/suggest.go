package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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

// nearestFlag is the command's flag closest to typed: one it starts, or one
// within a third of its length in edits (at least one, at most three).
func nearestFlag(c *cobra.Command, typed string) string {
	best, bestDist := "", 0
	consider := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := editDistance(typed, f.Name)
		if strings.HasPrefix(f.Name, typed) && len(typed) >= 2 {
			d = min(d, 1)
		}
		if limit := min(max(len(f.Name)/3, 1), 3); d > limit {
			return
		}
		if best == "" || d < bestDist || d == bestDist && f.Name < best {
			best, bestDist = f.Name, d
		}
	}
	c.Flags().VisitAll(consider)
	c.InheritedFlags().VisitAll(consider)
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in
// bytes: flag names are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
