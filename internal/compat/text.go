package compat

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes r for a person: the verdict on one line, naming what
// the plugin was checked against and at most ten of the differing
// packages, then one line per mismatch and warning. The JSON form lists
// every package.
func (r *Report) WriteText(w io.Writer, against string) error {
	var b strings.Builder
	verdict := "compatible"
	if !r.Compatible {
		verdict = "incompatible"
	}
	fmt.Fprintf(&b, "%s: %s with %s", r.Plugin, verdict, against)
	switch {
	case r.SharedPackages == 0:
	case len(r.DifferentPackages) == 0:
		fmt.Fprintf(&b, ": all %d shared packages agree", r.SharedPackages)
	default:
		fmt.Fprintf(&b, ": %d of %d shared packages differ: %s", len(r.DifferentPackages), r.SharedPackages, someOf(r.DifferentPackages))
	}
	b.WriteByte('\n')
	for _, m := range r.Mismatches {
		fmt.Fprintf(&b, "  %s\n", m)
	}
	for _, m := range r.Warnings {
		fmt.Fprintf(&b, "  warning: %s\n", m)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
