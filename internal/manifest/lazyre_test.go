package manifest

import "testing"

// TestRegexps compiles every lazily compiled expression, which would
// otherwise fail only at its first use.
func TestRegexps(t *testing.T) {
	if len(allRE) < 20 {
		t.Errorf("%d lazy regular expressions, want the package's 20 or more", len(allRE))
	}
	for _, l := range allRE {
		l.compile()
	}
}
