package upgrade

import (
	"fmt"

	"github.com/scaffold-dev/scaffold/internal/target"
)

// stubFile names the i-th file of stubs for a host release (i = 1 for the
// first). The host's version is part of the name, and Go reads a file name
// ending in _test, or in an operating system or architecture such as
// _windows or _arm64, as a build constraint: a version like v1.0.0_test
// would put the stubs in a file the build leaves out. Such a name gets a
// suffix that is no constraint.
func stubFile(version string, i int) string {
	base := "hooks_" + version
	if i > 1 {
		base += fmt.Sprintf("_%d", i)
	}
	if target.Constrained(base) {
		base += "_stubs"
	}
	return base + ".go"
}
