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
// by every libc the plugin is built for.
func ciJobs(m *manifest.Manifest, libc []string) []CIJob {
	var jobs []CIJob
	for _, arch := range m.Build.GOARCH {
		runner, native := runners[arch]
		if !native {
			runner = runners["amd64"]
		}
		for _, l := range libc {
			if !native && l == manifest.Musl {
				// No Debian or Ubuntu package cross-compiles for musl.
				continue
			}
			jobs = append(jobs, CIJob{GOARCH: arch, Libc: l, Runner: runner, Native: native, Release: m.Host.Version, Go: m.Go})
		}
	}
	return jobs
}
