package compat

import (
	"fmt"
	"strings"
)

// maxNamed is how many package names a line of text names before it
// counts the rest: a host without -trimpath, or one built from a
// workspace, can differ in every one of a thousand packages, and one cause
// explains them all.
const maxNamed = 10

// someOf names the first maxNamed of list, in order, and counts the rest:
// "a, b, c and 12 more".
func someOf(list []string) string {
	if len(list) <= maxNamed {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:maxNamed], ", "), len(list)-maxNamed)
}
