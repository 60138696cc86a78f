package generator

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// TestGeneratedLintClean runs make lint, golangci-lint's standard linters
// under the generated .golangci.yml, on examples/hello-world: the generated
// repository has nothing to fix. golangci-lint is installed at the pinned
// release through the module proxy, so the test reaches the network; it
// and its cache of analyses are kept between runs (see [testbed.Tool]):
// built and run cold they take minutes, warm seconds.
func TestGeneratedLintClean(t *testing.T) {
	if testing.Short() {
		t.Skip("installs golangci-lint and lints a generated repository")
	}
	bin, err := testbed.Tool("github.com/golangci/golangci-lint/v2/cmd/golangci-lint", GolangciLintVersion)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := testbed.CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "hello-world")
	if err := exec.Command("cp", "-r", filepath.Join(world.Examples, "hello-world"), dir).Run(); err != nil {
		t.Fatal(err)
	}
	lint := exec.Command("make", "-C", dir, "lint", "GOLANGCI_LINT="+bin)
	lint.Env = append(world.Env, "GOLANGCI_LINT_CACHE="+filepath.Join(cache, "golangci-lint"))
	if out, err := lint.CombinedOutput(); err != nil {
		t.Fatalf("make lint: %v\n%s", err, out)
	}
}
