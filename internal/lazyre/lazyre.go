// Package lazyre holds regular expressions compiled on first use rather
// than when the program starts. Every package's variables are set before
// main runs, whatever the command: a pattern compiled there costs every
// command, scaffold check among them, its compile time before it does
// anything.
package lazyre

import (
	"fmt"
	"regexp"
	"sync"
)

// An RE is a regular expression compiled on its first use; an invalid
// pattern panics then, as regexp.MustCompile does.
type RE struct {
	pattern string
	compile func() *regexp.Regexp
}

// made lists every RE, so that [Check] can compile them all: a pattern
// used only on a rare path would otherwise fail only there.
var (
	mu   sync.Mutex
	made []*RE
)

// New returns the expression of pattern, not yet compiled. It is meant for
// package-level variables: each RE is kept for [Check].
func New(pattern string) *RE {
	r := &RE{pattern, sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })}
	mu.Lock()
	made = append(made, r)
	mu.Unlock()
	return r
}

// Check compiles every expression made so far, in a test once the
// package-level variables are set, and says how many it compiled, or
// which pattern does not compile.
func Check() (int, error) {
	mu.Lock()
	all := made
	mu.Unlock()
	for _, r := range all {
		if _, err := regexp.Compile(r.pattern); err != nil {
			return 0, fmt.Errorf("lazyre: pattern %q: %w", r.pattern, err)
		}
	}
	return len(all), nil
}

// MatchString reports whether s matches.
func (r *RE) MatchString(s string) bool { return r.compile().MatchString(s) }

// FindStringSubmatch is [regexp.Regexp.FindStringSubmatch].
func (r *RE) FindStringSubmatch(s string) []string { return r.compile().FindStringSubmatch(s) }

// FindAllStringSubmatch is [regexp.Regexp.FindAllStringSubmatch].
func (r *RE) FindAllStringSubmatch(s string, n int) [][]string {
	return r.compile().FindAllStringSubmatch(s, n)
}

// SubexpIndex is [regexp.Regexp.SubexpIndex].
func (r *RE) SubexpIndex(name string) int { return r.compile().SubexpIndex(name) }
