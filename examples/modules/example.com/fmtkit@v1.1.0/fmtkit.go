// Package fmtkit formats header lines. Plugins of the example hosts use it
// as a dependency of their own, one that shares example.com/textkit with
// the hosts.
package fmtkit

import "example.com/textkit"

// Header formats a header line with a canonical key.
func Header(key, value string) string {
	return textkit.CanonicalKey(key) + ": " + value
}
