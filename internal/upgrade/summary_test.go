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
		if err := r.WriteSummary(&b); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := strings.Cut(b.String(), "\n"); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
