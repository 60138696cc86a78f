package release

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/mod/modfile"

	"github.com/scaffold-dev/scaffold/internal/contract"
	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// fillContract reads the contract's signatures from the SDK's source at
// the version the binary records; the base file gives names and examples.
func fillContract(ctx context.Context, m *manifest.Manifest, o Options) error {
	k := &m.Contract
	if k.Package == "" {
		k.Package = m.SDK.Module
	}
	dir := o.SDKDir
	if dir == "" && m.SDKIsHost() {
		return missingFlag("--sdk-dir", ": the SDK is the host's own module; give a checkout of the host at %s", m.Host.Source.Revision)
	}
	if dir == "" {
		var err error
		if dir, err = download(ctx, m, o.Env); err != nil {
			return err
		}
	} else if err := checkModuleDir(dir, m.SDK.Module); err != nil {
		return err
	}
	pkg, err := contract.Load(dir, m.SDK.Module, k.Package, m.Build.Tags)
	if err != nil {
		return err
	}
	pkg.Linked = o.linked
	return pkg.Fill(k)
}

// download fetches the SDK at the manifest's version into the module cache
// with the manifest's proxy settings, and returns its directory.
func download(ctx context.Context, m *manifest.Manifest, env []string) (string, error) {
	if env == nil {
		env = os.Environ()
	}
	// Outside any module, so that no go.mod around the working directory
	// takes part.
	r := &gocmd.Runner{Dir: os.TempDir(), Env: gocmd.ProxyEnv(gocmd.Setenv(env, "GO111MODULE", "on"), m.Proxy)}
	out, err := r.Run(ctx, "mod", "download", "-json", m.SDK.Module+"@"+m.SDK.Version)
	if err != nil {
		return "", fmt.Errorf("fetching the SDK source (or give --sdk-dir): %w", err)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("fetching the SDK source: %w", err)
	}
	if info.Error != "" {
		return "", fmt.Errorf("fetching the SDK source: %s", info.Error)
	}
	return info.Dir, nil
}

// checkModuleDir makes sure a --sdk-dir holds the SDK module.
func checkModuleDir(dir, modPath string) error {
	data, err := input.ReadFile(filepath.Join(dir, "go.mod"), input.SourceLimit)
	if err != nil {
		return fmt.Errorf("--sdk-dir: %w: give the root of a checkout of %s (the directory holding its go.mod)", err, modPath)
	}
	if got := modfile.ModulePath(data); got != modPath {
		return fmt.Errorf("--sdk-dir: %s holds module %q, not the SDK %s: give a checkout of %s, or correct sdk.module in the base file", dir, got, modPath, modPath)
	}
	return nil
}
