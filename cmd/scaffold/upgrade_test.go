package main

import (
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/upgrade"
)

// TestUnfinished: what an upgrade leaves is told as left; after --dry-run,
// as what the upgrade would leave, to do once it is made, with the same
// exit code.
func TestUnfinished(t *testing.T) {
	to := &manifest.Manifest{}
	to.Host.Name, to.Host.Version = "gateway", "v1.0.0"
	conflicts := &upgrade.Result{To: to, Files: []upgrade.File{{Path: "plugin.go", Action: upgrade.Conflicted}}}
	contract := &upgrade.Result{To: to, Contract: []upgrade.Change{{Name: "Name", Fix: "add the method Name"}}}
	for _, tt := range []struct {
		res    *upgrade.Result
		dryRun bool
		code   int
		want   string
	}{
		{conflicts, false, exitConflicts, "conflicts in plugin.go: resolve the lines between <<<<<<< yours and >>>>>>> new, then run scaffold upgrade --check"},
		{conflicts, true, exitConflicts, "the upgrade would leave conflicts in plugin.go: once the upgrade is made, resolve the lines between <<<<<<< yours and >>>>>>> new, then run scaffold upgrade --check"},
		{contract, false, exitContract, "gateway v1.0.0 changed the plugin contract: add the method Name; then run scaffold upgrade --check"},
		{contract, true, exitContract, "gateway v1.0.0 changed the plugin contract: once the upgrade is made, add the method Name; then run scaffold upgrade --check"},
	} {
		err := unfinished(tt.res, tt.dryRun)
		ue, ok := err.(*upgradeError)
		if !ok || ue.code != tt.code || ue.msg != tt.want {
			t.Errorf("dry run %v: got %v, want %d %q", tt.dryRun, err, tt.code, tt.want)
		}
	}
}
