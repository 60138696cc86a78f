package release

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

var update = flag.Bool("update", false, "rewrite the example gateway's checked-in manifest")

var world *testbed.World

func TestMain(m *testing.M) {
	flag.Parse()
	code := testbed.RunTests(m, func(w *testbed.World) error { world = w; return nil })
	bench.Close()
	os.Exit(code)
}

// linksTextkit checks a gateway release links textkit at version and no
// package of jsonkit, which textkit requires.
func linksTextkit(version string) func(*manifest.Manifest) error {
	return func(m *manifest.Manifest) error {
		if got := m.Module("example.com/textkit"); got == nil || got.Version != version {
			return fmt.Errorf("textkit %v, want %s", got, version)
		}
		if m.Module("example.com/jsonkit") != nil {
			return fmt.Errorf("the manifest lists example.com/jsonkit, which the gateway does not link")
		}
		return nil
	}
}

// TestExampleManifests builds each example host, writes its manifests from
// the binary and the base files, and compares them with the manifests
// checked in beside the host, which the examples and the tests read.
func TestExampleManifests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example hosts")
	}
	for _, tt := range []struct {
		// host is the example host's directory under examples; base its
		// base file there; golden the manifest, relative to examples.
		host, version, base, golden string
		check                       func(*manifest.Manifest) error
	}{
		{"gateway", "v1.0.0", "manifest.base.yaml", "gateway/releases/v1.0.0.manifest.yaml", nil},
		// The gateway's earlier release, which upgrades start from.
		{"gateway/releases/v0.9.0", "v0.9.0", "manifest.base.yaml", "gateway/releases/v0.9.0.manifest.yaml", func(m *manifest.Manifest) error {
			if m.Go != "go1.26.7" || len(m.Build.Tags) != 0 || m.SDK.Version != "v0.9.0" || m.Module("example.com/textkit").Version != "v1.0.0" {
				return fmt.Errorf("go %s, tags %q, SDK %s, textkit %s; want go1.26.7, no tags, SDK v0.9.0, textkit v1.0.0",
					m.Go, m.Build.Tags, m.SDK.Version, m.Module("example.com/textkit").Version)
			}
			return nil
		}},
		// Two later releases, one raising textkit above the other, each
		// textkit needing a module (jsonkit) no gateway links: the
		// manifests list textkit and not jsonkit.
		{"gateway/releases/v1.1.0", "v1.1.0", "../../manifest.base.yaml", "gateway/releases/v1.1.0.manifest.yaml", linksTextkit("v1.3.0")},
		{"gateway/releases/v1.2.0", "v1.2.0", "../../manifest.base.yaml", "gateway/releases/v1.2.0.manifest.yaml", linksTextkit("v1.4.0")},
		{"relay", "v1.0.0", "manifest.base.yaml", "relay/releases/v1.0.0.manifest.yaml", nil},
		{"relay", "v1.0.0", "handlers.base.yaml", "relay/releases/v1.0.0.handlers.manifest.yaml", nil},
		{"mono", "v2.1.0", "manifest.base.yaml", "mono/releases/v2.1.0.manifest.yaml", nil},
		// Handlers of a plain net/http func type, which the host declares
		// nowhere: the base file writes it.
		{"mono", "v2.1.0", "handlers.base.yaml", "mono/releases/v2.1.0.handlers.manifest.yaml", nil},
		// Symbols read from the host's own loader, in its module.
		{"sieve", "v1.0.0", "manifest.base.yaml", "sieve/releases/v1.0.0.manifest.yaml", nil},
		// Its next release, whose new symbols take types of SDK packages
		// named log, errors, httptest and plugin, as standard ones are, and
		// version, as a generated plugin's variable is.
		{"sieve/releases/v1.1.0", "v1.1.0", "manifest.base.yaml", "sieve/releases/v1.1.0.manifest.yaml", func(m *manifest.Manifest) error {
			var names []string
			for _, imp := range m.Contract.Imports {
				names = append(names, imp.PackageName())
			}
			for _, want := range []string{"log", "errors", "httptest", "plugin", "version"} {
				if !slices.Contains(names, want) {
					return fmt.Errorf("contract imports %q, want a package named %s among them", names, want)
				}
			}
			return nil
		}},
		// An implementer read from the loader in a dependency.
		{"portal", "v1.0.0", "manifest.base.yaml", "portal/releases/v1.0.0.manifest.yaml", nil},
		// Its next release, whose interface gains a method, which
		// upgrades go to.
		{"portal/releases/v1.1.0", "v1.1.0", "manifest.base.yaml", "portal/releases/v1.1.0.manifest.yaml", nil},
		// An info function returning a struct and a constructor returning
		// an interface, read from the hub's own loader: the manifest
		// describes both types, from the SDK.
		{"hub", "v1.0.0", "manifest.base.yaml", "hub/releases/v1.0.0.manifest.yaml", func(m *manifest.Manifest) error {
			info, plugin := m.Contract.Type("sdk.Info"), m.Contract.Type("sdk.Plugin")
			if info == nil || len(info.StringFields) != 3 || plugin == nil || len(plugin.Methods) != 3 {
				return fmt.Errorf("contract types %+v, want sdk.Info with three string fields and sdk.Plugin with three methods", m.Contract.Types)
			}
			return nil
		}},
		// A constructor whose signature is read from the loader in a
		// dependency (package factory): an inline func type, which the
		// SDK declares nowhere.
		{"portal/releases/v1.1.0", "v1.1.0", "constructor.base.yaml", "portal/releases/v1.1.0.constructor.manifest.yaml", func(m *manifest.Manifest) error {
			if want := "func(config map[string]interface{}) (plugin.Registerer, error)"; m.Contract.Constructor.Signature != want {
				return fmt.Errorf("constructor signature %q, want %q", m.Contract.Constructor.Signature, want)
			}
			return nil
		}},
		// Three loaders in one dependency, each behind its own Plugin
		// interface; the base files pick one each. The modifier loader
		// asserts through a generic helper.
		{"junction", "v1.0.0", "server.base.yaml", "junction/releases/v1.0.0.server.manifest.yaml", nil},
		// A host whose plugins import its own module, which the module
		// proxy serves at the release's tag: no base file, no checkout;
		// its source is fetched at the version its binary records.
		{"kiln", "", "", "kiln/releases/v1.0.0.manifest.yaml", func(m *manifest.Manifest) error {
			if s := m.Host.Source; s == nil || s.Version != "v1.0.0" || s.Repository != "" || m.Host.Version != "v1.0.0" {
				return fmt.Errorf("host %+v, source %+v; want v1.0.0 from the module proxy", m.Host, s)
			}
			return nil
		}},
		{"junction", "v1.0.0", "modifier.base.yaml", "junction/releases/v1.0.0.modifier.manifest.yaml", nil},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			t.Parallel() // the hosts build side by side
			bin, err := world.Build(tt.host, "build")
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(world.Examples, tt.host)
			o := Options{Binary: bin, HostVersion: tt.version, Env: world.Env}
			if tt.base != "" {
				if o.Base, o.BaseSet, err = manifest.ReadBase(filepath.Join(dir, tt.base)); err != nil {
					t.Fatal(err)
				}
			}
			if strings.HasPrefix(tt.host, "sieve") || tt.host == "hub" {
				o.HostSource = dir // its loader is in its own module
			}
			if _, released := testbed.Released[tt.host]; released && !slices.Contains(testbed.Proxied, tt.host) {
				// The SDK is the host's own module: its source is the
				// release's checkout.
				if o.SDKDir, _, err = world.Repo(tt.host); err != nil {
					t.Fatal(err)
				}
			}
			m, warnings, err := Build(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if tt.base == "" && len(warnings) == 1 && strings.HasPrefix(warnings[0], "libc: the binary is linked against glibc; plugins build in the official Go image") {
				warnings = nil // what no base file names, said once
			}
			if len(warnings) > 0 {
				t.Errorf("warnings: %q, want none", warnings)
			}
			got, err := manifest.Marshal(tt.golden, m)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join(world.Examples, tt.golden)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("manifest from the %s binary differs from %s (run go test -update):\n%s", tt.host, golden, diff.Diff(golden, want, "scaffold manifest", got))
			}
			if _, err := manifest.Parse(golden, want); err != nil {
				t.Errorf("checked-in manifest does not parse: %v", err)
			}
			if tt.check != nil {
				if err := tt.check(m); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
