package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedLintClean runs make lint, golangci-lint's standard linters
// under the generated .golangci.yml, on examples/hello-world: the generated
// repository has nothing to fix. golangci-lint is installed at the pinned
// release through the module proxy (once per build cache: about a minute,
// then seconds), so the test reaches the network.
func TestGeneratedLintClean(t *testing.T) {
	if testing.Short() {
		t.Skip("installs golangci-lint and lints a generated repository")
	}
	bin := t.TempDir()
	install := exec.Command("go", "install", "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@"+GolangciLintVersion)
	install.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=", "GOTOOLCHAIN=auto")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("installing golangci-lint %s: %v\n%s", GolangciLintVersion, err, out)
	}
	dir := filepath.Join(t.TempDir(), "hello-world")
	if err := exec.Command("cp", "-r", filepath.Join(world.Examples, "hello-world"), dir).Run(); err != nil {
		t.Fatal(err)
	}
	lint := exec.Command("make", "-C", dir, "lint", "GOLANGCI_LINT="+filepath.Join(bin, "golangci-lint"))
	lint.Env = append(world.Env, "GOLANGCI_LINT_CACHE="+t.TempDir())
	if out, err := lint.CombinedOutput(); err != nil {
		t.Fatalf("make lint: %v\n%s", err, out)
	}
}
