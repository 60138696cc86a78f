package upgrade

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// hostWith returns the v1.0.0 release with other modules and Go release.
func hostWith(t *testing.T, goVersion string, mods ...manifest.Module) *manifest.Manifest {
	m := *release(t, "v1.0.0")
	m.Go = goVersion
	m.Modules = mods
	for _, mod := range mods {
		if mod.Path == m.SDK.Module {
			m.SDK.Version = mod.Version
		}
	}
	return &m
}

func mod(path, version string) manifest.Module { return manifest.Module{Path: path, Version: version} }

const sdkPath = "example.com/gateway/sdk"

func TestPlanGoMod(t *testing.T) {
	from := hostWith(t, "go1.26.7", mod(sdkPath, "v0.9.0"), mod("example.com/textkit", "v1.0.0"), mod("example.com/down", "v1.5.0"),
		manifest.Module{Path: "example.com/old", Version: "v1.0.0", Replace: &manifest.Module{Path: "example.com/fork", Version: "v1.0.1"}})
	to := hostWith(t, "go1.26.8", mod(sdkPath, "v1.0.0"), mod("example.com/textkit", "v1.1.0"), mod("example.com/down", "v1.4.0"),
		mod("example.com/new", "v0.3.0"),
		manifest.Module{Path: "example.com/x", Version: "v1.0.0", Replace: &manifest.Module{Path: "example.com/xfork", Version: "v1.0.2"}})
	base := `module example.com/p

go 1.26.0

toolchain go1.26.7

require example.com/gateway/sdk v0.9.0

require (
	example.com/down v1.5.0 // indirect
	example.com/graph v1.0.0 // indirect
	example.com/textkit v1.0.0 // indirect
)

replace example.com/old => example.com/fork v1.0.1
`
	for _, tc := range []struct {
		name, ours string
		recorded   []module.Version // the lock's answers
		offline    bool
		want       []string // lines the result must hold
		wantNot    []string
		own        []module.Version
		note, err  string
	}{
		{
			name: "as generated",
			ours: base,
			want: []string{"go 1.26.0", "toolchain go1.26.8", "example.com/gateway/sdk v1.0.0", "example.com/textkit v1.1.0 // indirect",
				"example.com/down v1.4.0 // indirect", "example.com/new v0.3.0", "replace example.com/x => example.com/xfork v1.0.2"},
			// example.com/graph is the generation's, recomputed by the
			// go command for the new release.
			wantNot: []string{"example.com/fork", "go1.26.7", "example.com/graph"},
		},
		{
			name:    "offline",
			ours:    base,
			offline: true,
			want: []string{"toolchain go1.26.8", "example.com/gateway/sdk v1.0.0", "example.com/textkit v1.1.0 // indirect",
				"example.com/down v1.4.0 // indirect", "example.com/graph v1.0.0 // indirect", "replace example.com/x => example.com/xfork v1.0.2"},
			// No module go.mod did not require: the go command would
			// drop the unused ones, and it does not run.
			wantNot: []string{"example.com/new", "example.com/fork"},
		},
		{
			name: "a generated requirement the author changed",
			ours: strings.Replace(base, "example.com/graph v1.0.0 // indirect", "example.com/graph v1.0.1 // indirect", 1),
			want: []string{"example.com/graph v1.0.1 // indirect"},
		},
		{
			name: "a generated requirement the author's code imports",
			ours: strings.Replace(base, "example.com/graph v1.0.0 // indirect", "example.com/graph v1.0.0", 1),
			want: []string{"example.com/graph v1.0.0\n"},
		},
		{
			name: "an indirect requirement the go command added",
			ours: strings.Replace(base, "example.com/graph v1.0.0 // indirect", "example.com/graph v1.0.0 // indirect\n\texample.com/added v0.1.0 // indirect", 1),
			want: []string{"example.com/added v0.1.0 // indirect"},
		},
		{
			name:     "a requirement the lock records as the author's",
			ours:     strings.Replace(base, "example.com/graph v1.0.0 // indirect", "example.com/graph v1.0.0 // indirect\n\texample.com/later v0.2.0 // indirect", 1),
			recorded: []module.Version{{Path: "example.com/later", Version: "v0.1.0"}, {Path: "example.com/gone", Version: "v1.0.0"}},
			want:     []string{"example.com/later v0.2.0 // indirect"},
			own:      []module.Version{{Path: "example.com/later", Version: "v0.2.0"}},
		},
		{
			name: "the author's own",
			ours: strings.Replace(base, "require example.com/gateway/sdk v0.9.0\n",
				"require (\n\texample.com/gateway/sdk v0.9.0\n\t// for the parser\n\texample.com/own v1.2.3\n)\n\nreplace example.com/mine => ../mine\n\nexclude example.com/bad v0.1.0\n", 1),
			want: []string{"// for the parser", "example.com/own v1.2.3", "replace example.com/mine => ../mine", "exclude example.com/bad v0.1.0", "example.com/gateway/sdk v1.0.0"},
			own:  []module.Version{{Path: "example.com/own", Version: "v1.2.3"}},
		},
		{
			name: "the author's go line",
			ours: strings.Replace(base, "go 1.26.0", "go 1.26.3", 1),
			want: []string{"go 1.26.3", "toolchain go1.26.8"},
		},
		{
			name: "a go line above the host's release",
			ours: strings.Replace(base, "go 1.26.0", "go 1.27.0", 1),
			want: []string{"go 1.26.0", "toolchain go1.26.8"},
			note: "go.mod's go line 1.27.0 is above the host's Go release go1.26.8: it is now 1.26.0",
		},
		{
			name: "a module the new release starts to share, above its version",
			ours: strings.Replace(base, "require example.com/gateway/sdk v0.9.0\n", "require (\n\texample.com/gateway/sdk v0.9.0\n\texample.com/new v0.4.0\n)\n", 1),
			err:  "go.mod requires example.com/new v0.4.0, but gateway v1.0.0 builds v0.3.0: the host would refuse the plugin; lower the requirement to v0.3.0",
		},
		{
			name: "a shared module the author raised",
			ours: strings.Replace(base, "example.com/textkit v1.0.0 // indirect", "example.com/textkit v1.2.0", 1),
			err:  "go.mod requires example.com/textkit v1.2.0, but gateway v1.0.0 builds v1.1.0",
		},
		{
			name: "no go.mod",
			err:  "go.mod is missing",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ours []byte
			if tc.ours != "" {
				ours = []byte(tc.ours)
			}
			plan, err := planGoMod([]byte(base), ours, tc.recorded, from, to, "", tc.offline)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := modfile.Parse("go.mod", plan.start, nil); err != nil {
				t.Fatalf("the result does not parse: %v\n%s", err, plan.start)
			}
			got := string(plan.start)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("go.mod lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("go.mod still holds %q:\n%s", w, got)
				}
			}
			if !slices.Equal(plan.own, tc.own) {
				t.Errorf("own requirements %v, want %v", plan.own, tc.own)
			}
			if tc.note != "" && !slices.Contains(plan.notes, tc.note) {
				t.Errorf("notes %q, want %q", plan.notes, tc.note)
			}
		})
	}
}

func TestMoves(t *testing.T) {
	before := []byte("module m\n\nrequire (\n\ta v1.0.0\n\tb v1.0.0\n\tc v1.0.0\n)\n")
	after := []byte("module m\n\nrequire (\n\ta v1.1.0\n\tc v1.0.0\n\td v0.1.0\n)\n")
	got := moves(before, after)
	want := []Move{{"a", "v1.0.0", "v1.1.0"}, {"b", "v1.0.0", ""}, {"d", "", "v0.1.0"}}
	if !slices.Equal(got, want) {
		t.Errorf("moves = %v, want %v", got, want)
	}
}
