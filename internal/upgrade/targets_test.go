package upgrade

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// TestRunSeveral upgrades a repository built for gateway v1.0.0 and
// v1.1.0, offline: to v1.0.0, older than the newest, it is refused and
// nothing changes; to v1.2.0, v1.2.0 is added and v1.0.0 dropped.
func TestRunSeveral(t *testing.T) {
	dir := t.TempDir()
	_, err := generator.Generate(context.Background(), generator.Options{Name: "hello-world", Module: "example.com/hello-world", Libc: []string{manifest.Glibc}, Manifest: release(t, "v1.0.0"), Env: world.Env, Offline: true}, dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := Retarget(ctx, TargetOptions{Options: Options{Dir: dir, Manifest: release(t, "v1.1.0"), Env: world.Env, Offline: true}}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dir)
	_, err = Run(ctx, Options{Dir: dir, Manifest: release(t, "v0.9.0"), Env: world.Env, Offline: true})
	if want := "gateway v0.9.0 is not newer than v1.1.0, the newest release the repository is built for"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("upgrade to an older release: got %v, want an error saying %q", err, want)
	}
	testbed.CompareTrees(t, "before", before, "after a refused upgrade", readTree(t, dir))
	res, err := Run(ctx, Options{Dir: dir, Manifest: release(t, "v1.2.0"), Env: world.Env, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Before, []string{"v1.0.0", "v1.1.0"}) || !slices.Equal(res.After, []string{"v1.1.0", "v1.2.0"}) || res.Added != "v1.2.0" || !slices.Equal(res.Removed, []string{"v1.0.0"}) {
		t.Errorf("releases %q → %q, added %s, removed %q; want v1.0.0 v1.1.0 → v1.1.0 v1.2.0, v1.2.0 added, v1.0.0 removed", res.Before, res.After, res.Added, res.Removed)
	}
}
