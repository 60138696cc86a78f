// Package oldkit is a module released at v2 before Go modules: it has no
// go.mod and its path no /v2, so the go command knows this release as
// v2.0.0+incompatible. The example mono host builds it.
package oldkit

import "strings"

// Frame puts s between brackets.
func Frame(s string) string {
	return "[" + strings.TrimSpace(s) + "]"
}
