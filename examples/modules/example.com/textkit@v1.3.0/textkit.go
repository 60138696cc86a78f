// Package textkit holds small text helpers shared by the example gateway and
// its plugins.
package textkit

import "strings"

// CanonicalKey returns the canonical form of a header name: "x-hello"
// becomes "X-Hello".
func CanonicalKey(s string) string {
	parts := strings.Split(strings.ToLower(strings.TrimSpace(s)), "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "-")
}

// Quote wraps s in double quotes for log lines.
func Quote(s string) string {
	return `"` + s + `"`
}

// Truncate shortens s to at most n bytes.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// JSON encodes v for a log line or a response body. Built with the tag
// jsonkit, it encodes with example.com/jsonkit; otherwise with
// encoding/json, and no package of jsonkit is compiled: jsonkit is in the
// module graph of whatever requires textkit, but in no default build.
func JSON(v any) ([]byte, error) { return marshal(v) }
