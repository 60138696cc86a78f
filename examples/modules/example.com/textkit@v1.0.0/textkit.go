// Package textkit holds small text helpers shared by the example gateway and
// its plugins.
package textkit

import "strings"

// CanonicalKey returns the canonical form of a header name: "x-hello"
// becomes "X-Hello".
func CanonicalKey(s string) string {
	parts := strings.Split(strings.ToLower(s), "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "-")
}
