package compat

import (
	"testing"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// The plugins of these unit tests are made up in memory and have no DWARF
// to read; the end-to-end tests check types in real plugins.
func init() { readTypes = func(*artifact.File) *plugDWARF { return nil } }

// TestDWARFNames holds the manifest's types, written with package names,
// to the names the compiler gives them in DWARF.
func TestDWARFNames(t *testing.T) {
	k := &manifest.Contract{Imports: []manifest.Import{
		{Path: "context"}, {Path: "net/http"}, {Path: "example.com/relay/sdk"}, {Path: "example.com/router/plugin", Name: "rp"},
	}}
	for _, tt := range []struct {
		sig, want string
		fn        bool
	}{
		{sig: "func(config any) error", want: "func(interface {}) error", fn: true},
		{sig: "func() string", want: "func() string", fn: true},
		{sig: "func(ctx *sdk.Context, req *sdk.Request) (*sdk.Request, *sdk.ShortCircuit, error)", want: "func(*example.com/relay/sdk.Context, *example.com/relay/sdk.Request) (*example.com/relay/sdk.Request, *example.com/relay/sdk.ShortCircuit, error)", fn: true},
		{sig: "func(func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)))", want: "func(func(string, func(context.Context, map[string]interface {}, net/http.Handler) (net/http.Handler, error)))", fn: true},
		{sig: "func(b []byte, r rune, names ...string) <-chan rp.Event", want: "func([]uint8, int32, []string) <-chan example.com/router/plugin.Event", fn: true},
		{sig: "func(f func(...string))", want: "func(func(...string))", fn: true},
		{sig: "map[string][2]int", want: "map[string][2]int"},
	} {
		conv := dwarfType
		if tt.fn {
			conv = dwarfFunc
		}
		got, err := conv(tt.sig, k)
		if err != nil {
			t.Errorf("%s: %v", tt.sig, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.sig, got, tt.want)
		}
	}
	for _, bad := range []string{"struct{ A int }", "interface{ M() }", "func() other.T", "sdk.Request.Header", "*sdk.a.B"} {
		if got, err := dwarfType(bad, k); err == nil {
			t.Errorf("%s: got %q, want an error: the check must say it cannot verify", bad, got)
		}
	}
}
