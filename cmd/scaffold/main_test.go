package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/scaffold-dev/scaffold/cmd/scaffold/e2e"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// world is the shared example world (see [testbed.Open]): each host is
// built once for the whole run.
var world *testbed.World

// goCache is the build cache tests share with the rest of the run, so that
// the standard library is compiled once per set of flags.
var goCache string

func TestMain(m *testing.M) {
	set := func(s *e2e.Suite) { world, goCache = s.World, s.GoCache }
	testscript.Main(e2e.Tests(m, set), map[string]func(){"scaffold": scaffoldMain})
}

// TestScripts runs the scripts that build no example host, plugin or
// image; the others are in the packages under e2e.
func TestScripts(t *testing.T) { e2e.Run(t) }
