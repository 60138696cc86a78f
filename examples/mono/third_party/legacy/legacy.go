// Package legacy is code the example mono host keeps in its own repository
// and reaches through a replace directive.
package legacy

import "strings"

// Shout upper-cases s.
func Shout(s string) string { return strings.ToUpper(s) }
