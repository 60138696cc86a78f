package manifest

import (
	"regexp"
	"sync"
)

// A lazyRE is a regular expression compiled on first use. The manifest's
// checks hold some twenty, and compiled when the program starts they cost
// every command, scaffold check among them, a millisecond before it does
// anything.
type lazyRE struct {
	compile func() *regexp.Regexp
}

// allRE lists every lazyRE made, so that a test can compile them all.
var allRE []*lazyRE

func lazyRegexp(pattern string) *lazyRE {
	l := &lazyRE{sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })}
	allRE = append(allRE, l)
	return l
}

func (l *lazyRE) MatchString(s string) bool { return l.compile().MatchString(s) }

func (l *lazyRE) FindStringSubmatch(s string) []string { return l.compile().FindStringSubmatch(s) }

func (l *lazyRE) FindAllStringSubmatch(s string, n int) [][]string {
	return l.compile().FindAllStringSubmatch(s, n)
}

func (l *lazyRE) SubexpIndex(name string) int { return l.compile().SubexpIndex(name) }
