// Package plugin describes the sieve to its plugins.
package plugin

// Info is what the sieve tells a plugin about itself.
type Info struct {
	Host    string
	Plugins int // how many plugins it loads
}
