package generator

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"gopkg.in/yaml.v3"

	"github.com/scaffold-dev/scaffold/internal/examplefiles"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestWorkflowActionlint renders the CI workflow for every example release,
// and for one that ships an architecture without a hosted runner and says
// where its newest manifest is, and lints each with actionlint, the shell
// scripts included (with shellcheck, when it is installed; CI installs it).
func TestWorkflowActionlint(t *testing.T) {
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("shellcheck not found; CI installs it (.ci/run)")
		}
		t.Log("shellcheck not found: the workflow's scripts are not checked")
		shellcheck = ""
	}
	files, err := examplefiles.Manifests()
	if err != nil {
		t.Fatal(err)
	}
	type release struct {
		name string
		m    *manifest.Manifest
	}
	var releases []release
	for _, file := range files {
		m, err := manifest.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release{filepath.Base(filepath.Dir(filepath.Dir(file))) + "/" + filepath.Base(file), m})
	}
	odd := *exampleManifest(t)
	odd.Build.GOARCH = []string{"amd64", "riscv64"}
	odd.Host.Latest = "https://releases.example.com/gateway/latest.manifest.yaml?channel=stable&x=%20"
	releases = append(releases, release{"riscv64+latest", &odd})

	for _, r := range releases {
		t.Run(r.name, func(t *testing.T) {
			m := r.m
			o := Options{Name: "p", Module: "example.com/p", Libc: m.Libc.Families(), Manifest: m, Optional: m.Contract.Optional()}
			if m.Contract.Kind == manifest.KindHandlers {
				o.Handlers = []string{"Hello"}
			}
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			src := tree[".github/workflows/ci.yml"]
			if src == nil {
				t.Fatal("no .github/workflows/ci.yml")
			}
			l, err := actionlint.NewLinter(os.Stderr, &actionlint.LinterOptions{Shellcheck: shellcheck, Color: actionlint.ColorOptionKindNever})
			if err != nil {
				t.Fatal(err)
			}
			errs, err := l.Lint(".github/workflows/ci.yml", src, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range errs {
				t.Errorf("actionlint: %s", e.Error())
			}

			// The matrix holds every architecture by every libc, but musl
			// where it would be a cross build.
			var want []string
			for _, a := range m.Build.GOARCH {
				for _, l := range o.Libc {
					if _, native := runners[a]; native || l != manifest.Musl {
						want = append(want, fmt.Sprintf("{goarch: %s, libc: %s,", a, l))
					}
				}
			}
			var got []string
			for _, line := range strings.Split(string(src), "\n") {
				if i := strings.Index(line, "- {goarch: "); i >= 0 {
					got = append(got, line[i+2:strings.Index(line, " runner:")])
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("matrix %q, want %q", got, want)
			}
			if m.Host.Latest != "" && !strings.Contains(string(src), m.Host.Latest) {
				t.Errorf("the workflow does not check against host.latest %s", m.Host.Latest)
			}
			checkWorkflow(t, m, src)
		})
	}
}

// usesRE is an action pinned as the workflow must pin it: to a commit, its
// release tag in a comment.
var usesRE = regexp.MustCompile(`^ *(?:- )?uses: [a-z0-9-]+/[a-z0-9-]+@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$`)

// checkWorkflow holds a generated workflow to what its jobs need: every
// action pinned to a commit; a release job on v* tags that releases every
// artifact of the build job with provenance, partial only where no hosted
// runner builds an artifact; a scheduled job only when the manifest says
// where the host's newest manifest is.
func checkWorkflow(t *testing.T, m *manifest.Manifest, src []byte) {
	t.Helper()
	var wf struct {
		On          map[string]any `yaml:"on"`
		Concurrency map[string]any `yaml:"concurrency"`
		Jobs        map[string]struct {
			If    string           `yaml:"if"`
			Needs []string         `yaml:"needs"`
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(src), "\n") {
		if strings.Contains(line, "uses:") {
			n++
			if !usesRE.MatchString(line) {
				t.Errorf("an action not pinned to a commit with its tag: %q", line)
			}
		}
	}
	if n == 0 {
		t.Error("the workflow uses no action")
	}
	if wf.Concurrency["group"] == nil {
		t.Error("the workflow has no concurrency group")
	}
	if _, ok := wf.Jobs["lint"]; !ok {
		t.Error("the workflow has no lint job")
	}
	rel, ok := wf.Jobs["release"]
	if !ok {
		t.Fatal("the workflow has no release job")
	}
	if rel.If != "startsWith(github.ref, 'refs/tags/v')" || !slices.Contains(rel.Needs, "build") {
		t.Errorf("the release job runs if %q after %q, want on v* tags after the builds", rel.If, rel.Needs)
	}
	push, _ := wf.On["push"].(map[string]any)
	if tags, _ := push["tags"].([]any); len(tags) != 1 || tags[0] != "v*" {
		t.Errorf("the workflow runs on pushed tags %v, want v*", push["tags"])
	}
	steps := fmt.Sprint(rel.Steps)
	for _, want := range []string{"actions/download-artifact@", "actions/attest-build-provenance@", "gh release create", "make release-dist"} {
		if !strings.Contains(steps, want) {
			t.Errorf("the release job has no step with %s:\n%s", want, steps)
		}
	}
	if _, unbuilt := ciJobs(m, m.Libc.Families()); (len(unbuilt) > 0) != strings.Contains(steps, "PARTIAL=1") {
		t.Errorf("the release is partial: %v, but no hosted runner builds %v:\n%s", strings.Contains(steps, "PARTIAL=1"), unbuilt, steps)
	}
	_, scheduled := wf.On["schedule"]
	_, hostRelease := wf.Jobs["host-release"]
	if want := m.Host.Latest != ""; scheduled != want || hostRelease != want {
		t.Errorf("host.latest %q: a schedule %v and a host-release job %v, want both %v", m.Host.Latest, scheduled, hostRelease, want)
	}
}

// TestActionsPinned: each action of the generated workflow is pinned to a
// commit, with its release tag.
func TestActionsPinned(t *testing.T) {
	for name, a := range Actions {
		if !usesRE.MatchString("uses: " + a.Uses()) {
			t.Errorf("%s: %q is not an action pinned to a 40-hex commit with its tag", name, a.Uses())
		}
	}
}

// TestGolangciLintVersion holds scaffold's own make lint to the
// golangci-lint release generated repositories run.
func TestGolangciLintVersion(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	want := "GOLANGCI_LINT_VERSION := " + GolangciLintVersion + "\n"
	if !strings.Contains(string(data), want) {
		t.Errorf("Makefile does not say %q", want)
	}
}
