package compat

import (
	"strings"
	"testing"
)

// TestReleaseTag checks a plugin built for a release of a repository
// built for several, with its release's own build tag beside the host's:
// that tag is expected, against the manifest and against the host
// binary, and any other still counts.
func TestReleaseTag(t *testing.T) {
	for _, tt := range []struct {
		name, tags string
		expect     []string
		want       string
	}{
		{"the release's tag", "gateway,gateway_v0.9.0", []string{"gateway_v0.9.0"}, ""},
		{"another release's tag", "gateway,gateway_v0.8.0", []string{"gateway_v0.9.0"}, "-tags: host gateway,gateway_v0.9.0, plugin gateway,gateway_v0.8.0: build with -tags=gateway,gateway_v0.9.0"},
		{"no tag expected", "gateway,gateway_v0.9.0", nil, "-tags: host gateway, plugin gateway,gateway_v0.9.0: build with -tags=gateway"},
	} {
		p := file("p", "plugin")
		set(p, "-tags", tt.tags)
		r := Check(Target{Manifest: exampleManifest(t), Tags: tt.expect}, p)
		var got []string
		for _, m := range r.Mismatches {
			got = append(got, m.String())
		}
		if strings.Join(got, "\n") != tt.want {
			t.Errorf("%s against the manifest: got %q, want %q", tt.name, got, tt.want)
		}
		// Against the host binary, the hashes decide: a difference is a
		// warning at most, and the expected tag not even that.
		r = Check(Target{Host: file("gateway", "exe"), Tags: tt.expect}, p)
		if !r.Compatible || (tt.want == "") != (len(r.Warnings) == 0) {
			t.Errorf("%s against the host: compatible %v, warnings %v", tt.name, r.Compatible, r.Warnings)
		}
	}
}
