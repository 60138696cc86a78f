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
	case len(r.DifferentPackages) == 0 && !r.Compatible:
		// The hashes agree, yet the dynamic loader or the host's lookups
		// refuse the plugin: the verdict points at the lines that say why.
		n := len(r.Mismatches)
		fmt.Fprintf(&b, ": all %d shared packages agree, but %d %s below %s it", r.SharedPackages, n, plural(n, "difference", "differences"), plural(n, "stops", "stop"))
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
	for _, u := range r.Unchecked {
		fmt.Fprintf(&b, "  not checked: %s\n", u)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// plural is one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
