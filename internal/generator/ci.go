package generator

import "github.com/scaffold-dev/scaffold/internal/manifest"

// A CIJob is one cell of the generated workflow's matrix: a build for one
// architecture and libc on a GitHub-hosted runner.
type CIJob struct {
	GOARCH, Libc string
	// Release and Go are the host release the job builds for and its Go
	// release, in a repository built for several.
	Release, Go string
	// Runner is the runner label.
	Runner string
	// Native tells whether the runner is of the job's architecture: only
	// then can the tests and the load harness run; elsewhere the plugin is
	// cross-compiled, checked and uploaded.
	Native bool
}

// runners are the GitHub-hosted Linux runners by architecture.
var runners = map[string]string{"amd64": "ubuntu-24.04", "arm64": "ubuntu-24.04-arm"}

// ciJobs is the workflow's matrix: every architecture the host ships for,
// by every libc the plugin is built for, but those no hosted runner can
// build; those are returned as GOARCH/LIBC.
func ciJobs(m *manifest.Manifest, libc []string) (jobs []CIJob, unbuilt []string) {
	for _, arch := range m.Build.GOARCH {
		runner, native := runners[arch]
		if !native {
			runner = runners["amd64"]
		}
		for _, l := range libc {
			if !native && l == manifest.Musl {
				// No Debian or Ubuntu package cross-compiles for musl.
				unbuilt = append(unbuilt, arch+"/"+l)
				continue
			}
			jobs = append(jobs, CIJob{GOARCH: arch, Libc: l, Runner: runner, Native: native, Release: m.Host.Version, Go: m.Go})
		}
	}
	return jobs, unbuilt
}

// An Action is a GitHub Action the generated workflow uses, pinned to the
// commit of a release: a tag can be moved to other code, a commit cannot.
// Renovate and Dependabot move the pin and its tag comment together.
type Action struct {
	Repo, Commit, Tag string
}

// Uses is the action as a step's uses: value, with its tag as the comment
// after it.
func (a Action) Uses() string { return a.Repo + "@" + a.Commit + " # " + a.Tag }

// Actions are the actions of the generated workflow, by name. Each commit
// is the one its release tag names.
var Actions = map[string]Action{
	"checkout":          {"actions/checkout", "11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"},
	"setup-go":          {"actions/setup-go", "d35c59abb061a4a6fb18e82ac0862c26744d6ab5", "v5.5.0"},
	"upload-artifact":   {"actions/upload-artifact", "ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"},
	"download-artifact": {"actions/download-artifact", "d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"},
	"attest-provenance": {"actions/attest-build-provenance", "e8998f949152b193b063cb0ec769d69d929409be", "v2.4.0"},
	"cosign-installer":  {"sigstore/cosign-installer", "d58896d6a1865668819e1d91763c7751a165e159", "v3.9.2"},
}
