package manifest

import (
	"testing"

	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// TestRegexps compiles every lazily compiled expression, which would
// otherwise fail only at its first use.
func TestRegexps(t *testing.T) {
	n, err := lazyre.Check()
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("%d lazy regular expressions, want the package's 20 or more", n)
	}
}
