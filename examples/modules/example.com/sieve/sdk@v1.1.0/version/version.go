// Package version names releases of the sieve.
package version

import "fmt"

// A Version is a release of the sieve.
type Version struct {
	Major, Minor, Patch int
}

func (v Version) String() string { return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch) }
