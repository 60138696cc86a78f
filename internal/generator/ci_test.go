package generator

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

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
		})
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
