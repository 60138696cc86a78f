package upgrade

import (
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestSummaryHeading: the first line names the release moved to, and an
// upgrade to new templates alone says the release is unchanged rather
// than moving from itself to itself.
func TestSummaryHeading(t *testing.T) {
	release := func(v string) *manifest.Manifest {
		m := &manifest.Manifest{Go: "go1.26.8"}
		m.Host.Name, m.Host.Version = "gateway", v
		return m
	}
	for _, tt := range []struct {
		from, to string
		want     string
	}{
		{"v0.9.0", "v1.0.0", "upgraded p: gateway v0.9.0 → v1.0.0"},
		{"v1.0.0", "v1.0.0", "upgraded p: gateway v1.0.0 (unchanged)"},
	} {
		r := &Result{Name: "p", From: release(tt.from), To: release(tt.to), FromTemplates: "12", ToTemplates: "13"}
		var b strings.Builder
		if err := r.WriteSummary(&b, false); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := strings.Cut(b.String(), "\n"); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestSummaryModules: the SDK is shown on its own line; the other modules
// that moved are counted by which way, the host's apart from the rest,
// and listed only when verbose.
func TestSummaryModules(t *testing.T) {
	release := func(v string, mods ...string) *manifest.Manifest {
		m := &manifest.Manifest{Go: "go1.26.8"}
		m.Host.Name, m.Host.Version = "gateway", v
		m.SDK.Module, m.SDK.Version = "example.com/sdk", v
		for _, p := range mods {
			m.Modules = append(m.Modules, manifest.Module{Path: p})
		}
		return m
	}
	r := &Result{
		Name: "p", FromTemplates: "1", ToTemplates: "1",
		From: release("v1.0.0", "example.com/sdk", "example.com/up", "example.com/down", "example.com/gone"),
		To:   release("v1.1.0", "example.com/sdk", "example.com/up", "example.com/down", "example.com/new"),
		Modules: []Move{
			{"example.com/down", "v1.2.0", "v1.1.0"},
			{"example.com/gone", "v1.0.0", ""},
			{"example.com/graph", "v0.1.0", "v0.2.0"},
			{"example.com/graph2", "v0.1.0", "v0.3.0"},
			{"example.com/new", "", "v0.1.0"},
			{"example.com/sdk", "v1.0.0", "v1.1.0"},
			{"example.com/up", "v1.0.0", "v1.1.0"},
		},
	}
	for _, tc := range []struct {
		verbose bool
		want    string
	}{
		{false, `  SDK          example.com/sdk v1.0.0 → v1.1.0
  modules      host: 1 raised, 1 lowered, 1 added, 1 removed; others: 2 raised (--verbose lists them)
`},
		{true, `  SDK          example.com/sdk v1.0.0 → v1.1.0
  modules      host: 1 raised, 1 lowered, 1 added, 1 removed; others: 2 raised
               host raised   example.com/up v1.0.0 → v1.1.0
               host lowered  example.com/down v1.2.0 → v1.1.0
               host added    example.com/new v0.1.0
               host removed  example.com/gone v1.0.0
               other raised  example.com/graph v0.1.0 → v0.2.0
               other raised  example.com/graph2 v0.1.0 → v0.3.0
`},
	} {
		var b strings.Builder
		if err := r.WriteSummary(&b, tc.verbose); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		i := strings.Index(got, "  SDK")
		j := strings.Index(got, "  replaced")
		if i < 0 || j < i {
			t.Fatalf("summary without SDK and files:\n%s", got)
		}
		if got[i:j] != tc.want {
			t.Errorf("verbose %v: got\n%s\nwant\n%s", tc.verbose, got[i:j], tc.want)
		}
	}
	r.Modules = r.Modules[5:6] // the SDK alone
	var b strings.Builder
	if err := r.WriteSummary(&b, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\n  modules      none moved\n") {
		t.Errorf("only the SDK moved, and the summary says:\n%s", b.String())
	}
}
