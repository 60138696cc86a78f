// Package logkit formats log line prefixes. The example relay links it;
// its plugins need not.
package logkit

import "strings"

// Prefix returns the prefix of a program's log lines: "relay" gives
// "relay: ". Surrounding space is dropped.
func Prefix(name string) string {
	return strings.TrimSpace(name) + ": "
}
