// Command scaffold makes Go plugins that load into their host the first
// time. A Go plugin loads only when it was built exactly like its host: the
// same Go patch release, the same flags, cgo, libc, and the same version of
// every module the two share. scaffold reads those facts from the host's
// release manifest and writes them into the plugin's build.
//
// Usage:
//
//	scaffold manifest --from-binary HOST --base BASE.yaml --host-version VERSION -o MANIFEST
//	scaffold new NAME --manifest MANIFEST --module PATH [--out DIR] [--libc musl,glibc] [--yes]
//	scaffold upgrade --manifest MANIFEST [--dry-run | --check] [DIR]
//	scaffold check (--host HOST | --manifest MANIFEST) [--json] PLUGIN.so...
//
// Example:
//
//	# A host maintainer, in the release pipeline:
//	scaffold manifest --from-binary ./gateway --base manifest.base.yaml \
//		--host-version v1.0.0 -o gateway-v1.0.0.manifest.yaml
//
//	# A plugin author:
//	scaffold new hello-world --manifest gateway-v1.0.0.manifest.yaml \
//		--module example.com/hello-world --libc glibc,musl --yes
//	cd hello-world && make build
//
//	# The same author, when the host ships a new release:
//	scaffold upgrade --manifest gateway-v1.1.0.manifest.yaml
//	# Before the host loads it:
//	scaffold check --host ./gateway dist/hello-world_*.so
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	os.Exit(run())
}

// run executes the command line and returns the exit code; main stays a
// thin wrapper so that deferred cleanups run before the process exits.
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "scaffold: "+err.Error())
		var ec exitCoder
		if errors.As(err, &ec) {
			return ec.ExitCode()
		}
		return 1
	}
	return 0
}

// An exitCoder is an error that asks for a particular exit code, for
// commands whose callers branch on it.
type exitCoder interface {
	ExitCode() int
}
