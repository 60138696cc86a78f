package release

import (
	"fmt"

	"github.com/scaffold-dev/scaffold/internal/loader"
)

// A MissingFlagError is an option this release needs that was not given:
// the binary or the base file says so (a binary that records no version,
// an SDK taken from a workspace). scaffold manifest reports it as the
// usage error a missing flag is, although only the binary could tell.
type MissingFlagError = loader.MissingFlagError

// missingFlag returns a [MissingFlagError] for flag, the reason formatted
// from why and args.
func missingFlag(flag, why string, args ...any) error {
	return &MissingFlagError{Flag: flag, Why: fmt.Sprintf(why, args...)}
}
