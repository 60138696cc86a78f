// Package logkit formats log line prefixes. The example relay links it;
// its plugins need not.
package logkit

// Prefix returns the prefix of a program's log lines: "relay" gives
// "relay: ".
func Prefix(name string) string {
	return name + ": "
}
