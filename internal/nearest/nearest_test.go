package nearest

import "testing"

func TestName(t *testing.T) {
	top := []string{"schemaVersion", "host", "go", "build", "sdk", "modules", "proxy", "libc", "contract", "registration"}
	build := []string{"cgo", "trimpath", "race", "tags", "gcflags", "asmflags", "goexperiment", "goos", "goarch", "goamd64", "gomodcache"}
	for _, tt := range []struct {
		typed      string
		candidates []string
		want       string
	}{
		{"bulid", top, "build"}, // two letters swapped: one edit
		{"contracts", top, "contract"},
		{"registraton", top, "registration"},
		{"gos", build, "goos"},
		{"trimpth", build, "trimpath"},
		{"goarc", build, "goarch"},
		{"mod", top, "modules"}, // a prefix
		{"zzzz", top, ""},       // nothing close
		{"b", top, ""},          // one letter is no prefix
	} {
		if got := Name(tt.typed, tt.candidates); got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
	// Ties go to the lexically first, whatever the order given.
	if got := Name("ab", []string{"ac", "aa"}); got != "aa" {
		t.Errorf("tie: got %q, want %q", got, "aa")
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"build", "build", 0},
		{"bulid", "build", 1},
		{"manfest", "manifest", 1},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // no edit of a swapped pair again
	} {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
