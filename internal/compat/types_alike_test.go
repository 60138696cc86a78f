package compat

import "testing"

func TestAlike(t *testing.T) {
	for _, tt := range []struct{ typ, want, got, out string }{
		// An SDK package named log beside the standard one: the types
		// read alike by name, so the paths are shown.
		{"func(l *log.Logger)", "func(*example.com/sdk/log.Logger)", "func(*log.Logger)", "func(l *log.Logger), that is func(*example.com/sdk/log.Logger)"},
		{"*log.Logger", "*example.com/sdk/log.Logger", "*example.com/other/log.Logger", "*log.Logger, that is *example.com/sdk/log.Logger"},
		// Types that differ by name need no paths.
		{"func(n int) error", "func(int) error", "func(string) error", "func(n int) error"},
		{"func(r *http.Request)", "func(*net/http.Request)", "func(*net/http.Response)", "func(r *http.Request)"},
	} {
		if got := alike(tt.typ, tt.want, tt.got); got != tt.out {
			t.Errorf("alike(%q, %q, %q) = %q, want %q", tt.typ, tt.want, tt.got, got, tt.out)
		}
	}
	if got, want := withoutDirs("map[string]*example.com/a-b/c.d/v2.T"), "map[string]*v2.T"; got != want {
		t.Errorf("withoutDirs: got %q, want %q", got, want)
	}
}
