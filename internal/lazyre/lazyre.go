// Package lazyre holds regular expressions compiled on first use rather
// than when the program starts. Every package's variables are set before
// main runs, whatever the command: a pattern compiled there costs every
// command, scaffold check among them, its compile time before it does
// anything.
package lazyre

import (
	"regexp"
	"sync"
)

// An RE is a regular expression compiled on its first use; an invalid
// pattern panics then, as regexp.MustCompile does.
type RE struct {
	compile func() *regexp.Regexp
}

// New returns the expression of pattern, not yet compiled.
func New(pattern string) *RE {
	return &RE{sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })}
}

// MatchString reports whether s matches.
func (r *RE) MatchString(s string) bool { return r.compile().MatchString(s) }

// FindStringSubmatch is [regexp.Regexp.FindStringSubmatch].
func (r *RE) FindStringSubmatch(s string) []string { return r.compile().FindStringSubmatch(s) }
