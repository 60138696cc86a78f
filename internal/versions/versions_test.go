package versions

import (
	"reflect"
	"testing"
)

func TestGoLine(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"go1.26.8", "1.26.0"},
		{"go1.26.0", "1.26.0"},
		{"go1.27rc1", "1.27rc1"},
		{"go1.20", "1.20.0"},
	} {
		if got := GoLine(tt.in); got != tt.want {
			t.Errorf("GoLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	host := map[string]string{"a": "v1.0.0", "b": "v1.2.0", "c": "v0.3.0"}
	plugin := map[string]string{"a": "v1.0.0", "b": "v1.3.0", "c": "v0.2.0", "d": "v9.0.0"}
	got := Compare(host, plugin)
	want := []Conflict{
		{Path: "b", Host: "v1.2.0", Plugin: "v1.3.0"},
		{Path: "c", Host: "v0.3.0", Plugin: "v0.2.0"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Compare = %+v, want %+v", got, want)
	}
	if !got[0].Raised() || got[1].Raised() {
		t.Errorf("Raised: got %v, %v; want true, false", got[0].Raised(), got[1].Raised())
	}
}

// TestConflictString: a module raised by the plugin's own requirement is
// to be lowered to the host's version; one raised by other modules'
// requirements names the modules whose versions to change instead.
func TestConflictString(t *testing.T) {
	for _, tt := range []struct {
		c    Conflict
		want string
	}{
		{Conflict{Path: "example.com/textkit", Host: "v1.1.0", Plugin: "v1.2.0"},
			"example.com/textkit v1.2.0 is above the host's v1.1.0: the host would refuse the plugin; lower the requirement to v1.1.0"},
		{Conflict{Path: "example.com/textkit", Host: "v1.1.0", Plugin: "v1.2.0", By: "example.com/fmtkit@v1.1.0"},
			"example.com/textkit v1.2.0 (required by example.com/fmtkit@v1.1.0) is above the host's v1.1.0: the host would refuse the plugin; require a version of example.com/fmtkit that needs example.com/textkit v1.1.0 or lower"},
		{Conflict{Path: "example.com/textkit", Host: "v1.1.0", Plugin: "v1.2.0", By: "example.com/a@v1.0.0, example.com/b@v2.0.0"},
			"example.com/textkit v1.2.0 (required by example.com/a@v1.0.0, example.com/b@v2.0.0) is above the host's v1.1.0: the host would refuse the plugin; require versions of example.com/a and example.com/b that need example.com/textkit v1.1.0 or lower"},
		{Conflict{Path: "example.com/textkit", Host: "v1.1.0", Plugin: "v1.0.0"},
			"example.com/textkit v1.0.0 is below the host's v1.1.0: require example.com/textkit v1.1.0"},
	} {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}
