package generator

import (
	"runtime/debug"
	"strings"

	"golang.org/x/mod/semver"
)

// GolangciLintVersion is the golangci-lint release a generated repository's
// make lint runs, the one its .golangci.yml is written for and the one
// scaffold's own make lint runs.
const GolangciLintVersion = "v2.15.0"

// Command is scaffold's command package, for go install and go run.
const Command = "github.com/scaffold-dev/scaffold/cmd/scaffold"

// SelfVersion is the version of scaffold a generated repository installs
// when none is on PATH, and its CI installs: this binary's own module
// version when it is one the module proxy can serve (a release or a
// pseudo-version), else "". A build from a checkout records "(devel)" or a
// "+dirty" version, which no proxy serves: its repositories say so, and
// ask for a scaffold, rather than follow whatever release is newest.
func SelfVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; semver.IsValid(v) && !strings.Contains(v, "+") {
			return v
		}
	}
	return ""
}
