package generator

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestBotsIgnoreSharedModules renders the Renovate and Dependabot
// configurations for every example release and holds their ignore lists to
// the manifest's shared modules: the SDK and every module of the host's
// build, no more and no fewer.
func TestBotsIgnoreSharedModules(t *testing.T) {
	files, err := examplefiles.Manifests()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(filepath.Dir(file)))+"/"+filepath.Base(file), func(t *testing.T) {
			m, err := manifest.Load(file)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{m.SDK.Module}
			for _, mod := range m.Modules {
				if !slices.Contains(want, mod.Path) {
					want = append(want, mod.Path)
				}
			}
			slices.Sort(want)

			o := Options{Name: "p", Module: "example.com/p", Libc: m.Libc.Families()[:1], Manifest: m, Optional: m.Contract.Optional()}
			if m.Contract.Kind == manifest.KindHandlers {
				o.Handlers = []string{"Hello"}
			}
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}

			var renovate struct {
				PackageRules []struct {
					MatchManagers     []string `json:"matchManagers"`
					MatchPackageNames []string `json:"matchPackageNames"`
					Enabled           *bool    `json:"enabled"`
				} `json:"packageRules"`
			}
			if err := json.Unmarshal(tree["renovate.json"], &renovate); err != nil {
				t.Fatalf("renovate.json: %v", err)
			}
			var got []string
			for _, r := range renovate.PackageRules {
				if r.Enabled != nil && !*r.Enabled && slices.Contains(r.MatchManagers, "gomod") {
					got = append(got, r.MatchPackageNames...)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("renovate.json disables %q, want the shared modules %q", got, want)
			}

			var dependabot struct {
				Updates []struct {
					Ecosystem string `yaml:"package-ecosystem"`
					Ignore    []struct {
						Name     string   `yaml:"dependency-name"`
						Versions []string `yaml:"versions"`
					} `yaml:"ignore"`
				} `yaml:"updates"`
			}
			if err := yaml.Unmarshal(tree[".github/dependabot.yml"], &dependabot); err != nil {
				t.Fatalf(".github/dependabot.yml: %v", err)
			}
			got = nil
			for _, u := range dependabot.Updates {
				if u.Ecosystem != "gomod" {
					continue
				}
				for _, ig := range u.Ignore {
					if len(ig.Versions) > 0 {
						t.Errorf("dependabot ignores only some versions of %s: %q", ig.Name, ig.Versions)
					}
					got = append(got, ig.Name)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf(".github/dependabot.yml ignores %q, want the shared modules %q", got, want)
			}
		})
	}
}

// TestBotsKeepActionsPinned holds the bots to the workflow's pins: the
// actions are pinned to commits, so Renovate must move a commit and its
// tag comment together (helpers:pinGitHubActionDigests) and propose
// actions at all, and Dependabot must watch the github-actions ecosystem.
func TestBotsKeepActionsPinned(t *testing.T) {
	o := helloWorld(t)
	tree, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	var renovate struct {
		Extends      []string `json:"extends"`
		PackageRules []struct {
			MatchManagers []string `json:"matchManagers"`
			Enabled       *bool    `json:"enabled"`
		} `json:"packageRules"`
	}
	if err := json.Unmarshal(tree["renovate.json"], &renovate); err != nil {
		t.Fatalf("renovate.json: %v", err)
	}
	if !slices.Contains(renovate.Extends, "helpers:pinGitHubActionDigests") {
		t.Errorf("renovate.json extends %q, without helpers:pinGitHubActionDigests", renovate.Extends)
	}
	proposed := false
	for _, r := range renovate.PackageRules {
		if slices.Contains(r.MatchManagers, "github-actions") {
			if r.Enabled != nil && !*r.Enabled {
				t.Errorf("renovate.json disables the github-actions manager")
			}
			proposed = true
		}
	}
	if !proposed {
		t.Errorf("renovate.json has no rule for the github-actions manager")
	}
	var dependabot struct {
		Updates []struct {
			Ecosystem string `yaml:"package-ecosystem"`
		} `yaml:"updates"`
	}
	if err := yaml.Unmarshal(tree[".github/dependabot.yml"], &dependabot); err != nil {
		t.Fatalf(".github/dependabot.yml: %v", err)
	}
	var ecosystems []string
	for _, u := range dependabot.Updates {
		ecosystems = append(ecosystems, u.Ecosystem)
	}
	if !slices.Contains(ecosystems, "github-actions") {
		t.Errorf(".github/dependabot.yml updates %q, not github-actions", ecosystems)
	}
}
