package upgrade

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// TestUpgradeSymbolSet upgrades a plugin of the example relay, whose
// contract is a symbol set, to a release that adds a required symbol,
// changes one, and drops the optional hook the author chose: the new
// symbol gets a stub function held to its type, the others are reported
// at the author's functions, and the optional hook the author did not
// choose is none of the plugin's business.
func TestUpgradeSymbolSet(t *testing.T) {
	old, err := manifest.Load(filepath.Join(world.Examples, "relay", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := generator.Generate(context.Background(), generator.Options{
		Name: "hooks", Module: "example.com/hooks", Libc: []string{manifest.Glibc},
		Optional: []string{"PreHook"}, Manifest: old, Offline: true,
	}, dir); err != nil {
		t.Fatal(err)
	}
	// The author's edit: plugin.go is theirs now, so contract changes
	// reach it as stubs and reports, never as text.
	src := readTree(t, dir)["plugin.go"]
	edited := strings.Replace(string(src), "\treturn pluginName\n", "\treturn \"hooks by the author\"\n", 1)
	if edited == string(src) {
		t.Fatal("GetName's body not found in plugin.go")
	}
	if err := os.WriteFile(filepath.Join(dir, "plugin.go"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	new, err := manifest.Load(filepath.Join(world.Examples, "relay", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	new.Host.Version = "v1.1.0"
	var symbols []manifest.Symbol
	for _, s := range new.Contract.Symbols {
		switch s.Name {
		case "PreHook":
			continue // dropped
		case "GetName":
			s.Type = "func() (string, error)"
		case "PostHook":
			s.Type = "func(ctx *sdk.Context, resp *sdk.Response) error" // optional, not chosen
		}
		symbols = append(symbols, s)
	}
	symbols = append(symbols, manifest.Symbol{Name: "Reload", Type: "func(config any) error", Required: true, Doc: "Reload is called when the configuration changes."})
	new.Contract.Symbols = symbols
	if err := new.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Dir: dir, Manifest: new, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Change{}
	for _, c := range res.Contract {
		got[c.Name] = c
	}
	if len(got) != 3 {
		t.Errorf("contract changes %+v, want Reload, GetName and PreHook", res.Contract)
	}
	if c := got["Reload"]; c.Kind != MemberAdded || c.Stub != "hooks_v1.1.0.go" || c.Pending() {
		t.Errorf("Reload: %+v, want added, stubbed in hooks_v1.1.0.go", c)
	}
	if c := got["GetName"]; c.Kind != MemberChanged || !strings.HasPrefix(c.At, "plugin.go:") || !strings.Contains(c.Fix, "to func() (string, error)") {
		t.Errorf("GetName: %+v, want changed, at the author's function, to fix", c)
	}
	if c := got["PreHook"]; c.Kind != MemberRemoved || !strings.HasPrefix(c.At, "plugin.go:") || !c.Pending() {
		t.Errorf("PreHook: %+v, want removed, at the author's function, to remove", c)
	}
	stub := string(readTree(t, dir)["hooks_v1.1.0.go"])
	for _, want := range []string{"_ func(config any) error = Reload", "func Reload(config any) error {", "// Reload is called when the configuration changes."} {
		if !strings.Contains(stub, want) {
			t.Errorf("hooks_v1.1.0.go lacks %q:\n%s", want, stub)
		}
	}
}

// TestUntouchedSymbolSetIsNew upgrades an untouched relay plugin to a
// release whose symbol set changed: no stubs and no reports, the hooks are
// simply those scaffold new writes for the new release.
func TestUntouchedSymbolSetIsNew(t *testing.T) {
	m, err := manifest.Load(filepath.Join(world.Examples, "relay", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	o := generator.Options{Name: "hooks", Module: "example.com/hooks", Libc: []string{manifest.Glibc}, Optional: []string{"PreHook"}, Manifest: m, Offline: true}
	if _, err := generator.Generate(context.Background(), o, filepath.Join(parent, "old")); err != nil {
		t.Fatal(err)
	}
	next := *m
	next.Host.Version = "v1.1.0"
	next.Contract.Symbols = append(slices.Clone(m.Contract.Symbols), manifest.Symbol{Name: "Reload", Type: "func(config any) error", Required: true})
	o.Manifest = &next
	if _, err := generator.Generate(context.Background(), o, filepath.Join(parent, "new")); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Dir: filepath.Join(parent, "old"), Manifest: &next, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Pending(); len(p) != 0 {
		t.Errorf("contract changes to fix: %+v, want none: the untouched hooks are regenerated", p)
	}
	testbed.CompareTrees(t, "scaffold new", readTree(t, filepath.Join(parent, "new")), "scaffold upgrade", readTree(t, filepath.Join(parent, "old")))
}

// TestUpgradeWorkspaceHost upgrades a plugin of the example mono host,
// whose plugins import the host's own module, to a release at another
// revision with a dependency bump: the Makefile builds against the new
// revision, go.mod moves the shared module and still requires neither the
// host's module nor the modules it takes from a directory, and no module
// resolution runs outside the workspace.
func TestUpgradeWorkspaceHost(t *testing.T) {
	old, err := manifest.Load(filepath.Join(world.Examples, "mono", "releases", "v2.1.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := generator.Generate(context.Background(), generator.Options{
		Name: "upper", Module: "example.com/upper", Libc: []string{manifest.Glibc}, Manifest: old, Env: world.Env,
	}, dir); err != nil {
		t.Fatal(err)
	}
	next := *old
	next.Host.Version = "v2.2.0"
	src := *old.Host.Source
	src.Revision = strings.Repeat("ab", 20)
	next.Host.Source = &src
	next.Modules = slices.Clone(old.Modules)
	next.Module("example.com/textkit").Version = "v1.2.0"
	next.Module("example.com/textkit").Sum = ""
	if _, err := Run(context.Background(), Options{Dir: dir, Manifest: &next, Env: world.Env}); err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, dir)
	if mk := string(tree["Makefile"]); !strings.Contains(mk, "HOST_REVISION   := "+src.Revision) {
		t.Errorf("Makefile does not build against the new revision:\n%s", mk)
	}
	gm := string(tree["go.mod"])
	if !strings.Contains(gm, "example.com/textkit v1.2.0") || strings.Contains(gm, "example.com/mono") || strings.Contains(gm, "example.com/legacy") {
		t.Errorf("go.mod:\n%s\nwant textkit v1.2.0, and neither the host's module nor its directory module", gm)
	}
}

// TestStubsCompile upgrades an edited relay plugin to a release that adds
// a required function and a required variable to the symbol set, and
// builds the result against the relay's SDK: the stubs declare what the
// host looks up, with the types it asserts.
func TestStubsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	m, err := manifest.Load(filepath.Join(world.Examples, "relay", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := generator.Generate(context.Background(), generator.Options{
		Name: "hooks", Module: "example.com/hooks", Libc: []string{manifest.Glibc}, Manifest: m, Env: world.Env,
	}, dir); err != nil {
		t.Fatal(err)
	}
	plugin := filepath.Join(dir, "plugin.go")
	src, err := os.ReadFile(plugin)
	if err != nil {
		t.Fatal(err)
	}
	// The author's: an APIVersion of their own would be found, not stubbed.
	if err := os.WriteFile(plugin, append(src, "\n// Edited by the author.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	next := *m
	next.Host.Version = "v1.1.0"
	next.Contract.Symbols = append(slices.Clone(m.Contract.Symbols),
		manifest.Symbol{Name: "Reload", Type: "func(config any) error", Required: true},
		manifest.Symbol{Name: "APIVersion", Type: "int", Required: true, Doc: "APIVersion is the plugin API the plugin speaks."})
	res, err := Run(context.Background(), Options{Dir: dir, Manifest: &next, Env: world.Env})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Pending(); len(p) > 0 {
		t.Errorf("pending contract changes %+v, want both stubbed", p)
	}
	stub := string(readTree(t, dir)["hooks_v1.1.0.go"])
	for _, want := range []string{"var APIVersion int", "func Reload(config any) error {"} {
		if !strings.Contains(stub, want) {
			t.Errorf("hooks_v1.1.0.go lacks %q:\n%s", want, stub)
		}
	}
	if err := world.Run(dir, "go", "vet", "."); err != nil {
		t.Errorf("the upgraded plugin does not build: %v\nhooks_v1.1.0.go:\n%s", err, stub)
	}
}

// TestUpgradeImplementerChanged upgrades an edited plugin of the example
// portal, an implementer, to a release whose interface changes a method:
// the change is reported at the author's method, and the plugin's copy of
// the interface, which the compile-time proof uses, is the new one, so the
// build holds the author to the fix.
func TestUpgradeImplementerChanged(t *testing.T) {
	old, err := manifest.Load(filepath.Join(world.Examples, "portal", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := generator.Generate(context.Background(), generator.Options{
		Name: "hello", Module: "example.com/hello", Libc: []string{manifest.Glibc}, Manifest: old, Offline: true,
	}, dir); err != nil {
		t.Fatal(err)
	}
	src := readTree(t, dir)["plugin.go"]
	edited := strings.Replace(string(src), `"hello from "+pluginName`, `"by the author"`, 1)
	if edited == string(src) {
		t.Fatal("RegisterHandlers' body not found in plugin.go")
	}
	if err := os.WriteFile(filepath.Join(dir, "plugin.go"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	next, err := manifest.Load(filepath.Join(world.Examples, "portal", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	next.Host.Version = "v1.2.0"
	const sig = "func(prefix string, fn func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error))) error"
	next.Contract.Methods[0].Signature = sig
	if err := next.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Dir: dir, Manifest: next, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Contract) != 1 || res.Contract[0].Kind != MemberChanged || !strings.HasPrefix(res.Contract[0].At, "plugin.go:") || !res.Contract[0].Pending() {
		t.Errorf("contract changes %+v, want RegisterHandlers changed, at the author's method, to fix", res.Contract)
	}
	got := string(readTree(t, dir)["plugin.go"])
	for _, want := range []string{
		"\tRegisterHandlers(prefix string, fn func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error))) error\n",
		`"by the author"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("upgraded plugin.go lacks %q:\n%s", want, got)
		}
	}
}
