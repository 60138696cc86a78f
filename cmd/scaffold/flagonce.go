package main

import (
	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// onceFlags makes every single-valued string flag of cmd and its
// subcommands refuse a second, different value: pflag keeps the last one
// silently, so "--host a ... --host b" would check against b alone. Lists
// (--libc, --require) stay repeatable.
func onceFlags(cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Value.Type() == "string" {
			f.Value = &onceValue{Value: f.Value}
		}
	})
	for _, sub := range cmd.Commands() {
		onceFlags(sub)
	}
}

// A onceValue is a flag's value that may be set once: again only to the
// same value, as shell completion parses a command line more than once.
type onceValue struct {
	pflag.Value
	set   bool
	first string
}

func (v *onceValue) Set(s string) error {
	if v.set && s != v.first {
		return errors.New("given twice: give it once")
	}
	v.set, v.first = true, s
	return v.Value.Set(s)
}
