package upgrade

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/gomod"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/target"
	"github.com/scaffold-dev/scaffold/internal/versions"
)

// A modPlan is the author's go.mod moved to a new release, before the go
// command completes it.
type modPlan struct {
	start []byte
	// own are the author's own requirements, kept at their versions: the
	// go command re-requires them like scaffold new's --require, even
	// before code imports them.
	own   []module.Version
	notes []string
}

// planGoMod moves the author's go.mod (ours) from release from to release
// to, as data: the go line (unless the author set their own), the
// toolchain, the SDK and every module the new release shares at its
// versions, the host's replacements. base is go.mod as last generated,
// and recorded the requirements the lock records as the author's.
//
// Requirements are of three kinds. Those of modules the new release
// shares follow it, up or down; one the author raised above it is an
// error naming both versions. The author's own are those the lock
// records, and the direct ones go.mod has and base had not: they are kept
// at their versions (one below what the new release's modules need of it
// is refused when the go command resolves them). The rest, those base
// has as generated, the old release's modules and // indirect ones, are
// scaffold's or the module graph's: a generated one the author left as it
// was is dropped, to be recomputed for the new release by the go command
// (offline, where nothing is recomputed, kept as it is); the others stay
// as the lowest versions the go command may select, which lowers nothing
// the new release needs higher.
//
// modPath, when not empty, is the module's new path.
//
// Offline, the host's modules go.mod already requires are moved to the
// new release's versions and no others added, so that the // indirect
// markers stay where the go command put them; online, every module of
// the host is required first, as scaffold new does, so that none can
// resolve below the host's version.
func planGoMod(base, ours []byte, recorded []module.Version, from, to *manifest.Manifest, modPath string, offline bool) (*modPlan, error) {
	if ours == nil {
		return nil, errors.New("go.mod is missing: an upgrade moves the plugin's go.mod to the new release; restore it first")
	}
	f, err := modfile.Parse("go.mod", ours, nil)
	if err != nil {
		return nil, fmt.Errorf("reading go.mod: %w", err)
	}
	if modPath != "" {
		// The module path an answer changed (scaffold upgrade --set).
		if err := f.AddModuleStmt(modPath); err != nil {
			return nil, fmt.Errorf("go.mod: %w", err)
		}
	}
	generated := requirements(base)
	mine := map[string]bool{}
	for _, r := range recorded {
		mine[r.Path] = true
	}
	plan := &modPlan{}
	var raised []string
	var drop []string
	// By path: a release lists its host's whole build list, which a real
	// host's runs to thousands of modules.
	toMods, fromMods := byPath(to), byPath(from)
	for _, r := range f.Require {
		path, v := r.Mod.Path, r.Mod.Version
		if path == from.SDK.Module || path == to.SDK.Module {
			continue
		}
		host, before := toMods[path], fromMods[path]
		genV, isGenerated := generated[path]
		switch {
		case host != nil:
			// A version the old release or the generation had is the
			// release's, not the author's, and follows the host even
			// down.
			if semver.Compare(v, host.Version) > 0 && (before == nil || before.Version != v) && genV != v {
				raised = append(raised, fmt.Sprintf("go.mod requires %s %s, but %s %s builds %s: the host would refuse the plugin; lower the requirement to %s", path, v, to.Host.Name, to.Host.Version, host.Version, host.Version))
			}
		case mine[path] || (!isGenerated && before == nil && !r.Indirect):
			plan.own = append(plan.own, r.Mod)
		case !offline && r.Indirect && (genV == v || (before != nil && before.Version == v)):
			drop = append(drop, path)
		}
	}
	if len(raised) > 0 {
		return nil, errors.New(strings.Join(raised, "\n"))
	}
	for _, path := range drop {
		if err := f.DropRequire(path); err != nil {
			return nil, fmt.Errorf("go.mod: %w", err)
		}
	}
	if from.SDK.Module != to.SDK.Module {
		if err := f.DropRequire(from.SDK.Module); err != nil {
			return nil, err
		}
		plan.notes = append(plan.notes, fmt.Sprintf("the SDK moved from %s to %s: change the plugin's imports", from.SDK.Module, to.SDK.Module))
	}
	if err := dropReplaces(f, from); err != nil {
		return nil, err
	}
	if offline {
		err = gomod.MoveHost(f, to)
	} else {
		// The SDK and every shared module at the release's version, as
		// scaffold new writes them; the go command drops those the
		// plugin does not use.
		err = gomod.PinHost(f, to)
	}
	if err != nil {
		return nil, err
	}
	goLine := versions.GoLine(to.Go)
	if f.Go != nil && !sameGoLine(base, f.Go.Version) {
		// The author chose the language version: keep it, unless the
		// host's toolchain is too old for it.
		if version.Compare("go"+f.Go.Version, to.Go) > 0 {
			plan.notes = append(plan.notes, fmt.Sprintf("go.mod's go line %s is above the host's Go release %s: it is now %s", f.Go.Version, to.Go, goLine))
		} else {
			goLine = f.Go.Version
		}
	}
	if err := f.AddGoStmt(goLine); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	if err := f.AddToolchainStmt(to.Go); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	f.Cleanup()
	if plan.start, err = f.Format(); err != nil {
		return nil, fmt.Errorf("go.mod: %w", err)
	}
	return plan, nil
}

// sameGoLine tells whether base's go line is goLine: then the author left
// it as generated.
func sameGoLine(base []byte, goLine string) bool {
	f, err := modfile.ParseLax("go.mod", base, nil)
	return err == nil && f.Go != nil && f.Go.Version == goLine
}

// dropReplaces drops the old release's module replacements, which the
// new release's take the place of; the author's own replacements stay.
func dropReplaces(f *modfile.File, from *manifest.Manifest) error {
	for _, m := range from.Modules {
		if r := m.Replace; r != nil && r.Version != "" {
			for _, have := range f.Replace {
				if have.Old.Path == m.Path && have.New.Path == r.Path && have.New.Version == r.Version {
					if err := f.DropReplace(m.Path, have.Old.Version); err != nil {
						return fmt.Errorf("go.mod: %w", err)
					}
				}
			}
		}
	}
	return nil
}

// moves lists the requirements whose versions differ between two go.mod
// files.
func moves(before, after []byte) []Move {
	b, a := requirements(before), requirements(after)
	var out []Move
	for p, v := range b {
		if a[p] != v {
			out = append(out, Move{Path: p, Old: v, New: a[p]})
		}
	}
	for p, v := range a {
		if _, ok := b[p]; !ok {
			out = append(out, Move{Path: p, New: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func requirements(data []byte) map[string]string {
	out := map[string]string{}
	if f, err := modfile.ParseLax("go.mod", data, nil); err == nil {
		for _, r := range f.Require {
			out[r.Mod.Path] = r.Mod.Version
		}
	}
	return out
}

// resolve completes go.mod and go.sum of the upgraded module from start,
// as scaffold new does, and returns the go.mod scaffold new writes for the
// release, which the lock keeps as the next upgrade's base.
func (u *upgrader) resolve(ctx context.Context, start []byte) ([]byte, error) {
	switch {
	case u.o.Manifest.SDKIsHost():
		// Modules resolve in the workspace the Makefile writes, with the
		// host's source beside the plugin.
		u.out["go.mod"] = start
		return u.theirs["go.mod"], nil
	case u.o.Offline:
		u.out["go.mod"] = start
		u.res.Notes = append(u.res.Notes, "skipped the module download (--offline): run 'make tidy' to complete go.sum")
		return u.theirs["go.mod"], nil
	}
	generated := goFiles(u.theirs)
	if u.ours["go.sum"] != nil {
		generated["go.sum"] = u.ours["go.sum"]
	}
	upgraded := u.goSources(start)
	u.o.logf("resolving modules for the files scaffold new writes")
	mod, sum, err := u.r.resolveIn(ctx, generated, u.gen, "go.mod", generator.Resolve)
	if err != nil {
		return nil, err
	}
	lockMod := mod
	if !sameTree(goFiles(upgraded), goFiles(generated)) {
		u.o.logf("resolving modules for the upgraded plugin")
		if mod, sum, err = u.r.resolveIn(ctx, upgraded, u.gen, "go.mod", generator.Resolve); err != nil {
			return nil, err
		}
	}
	u.out["go.mod"] = mod
	if sum != nil {
		u.out["go.sum"] = sum
	}
	return lockMod, nil
}

// resolveIn runs resolve, the module resolution of scaffold new, with gen
// on the module sources t, in a temporary directory beside the repository
// so that the author's relative replacements still point where they did
// (or in the system's temporary directory, where the repository's parent
// is not writable), and returns the module file modFile and its go.sum
// from there. A workspace around the repository takes no part: the
// plugin is built as its own main module.
func (r *repo) resolveIn(ctx context.Context, t filetree.Tree, gen generator.Options, modFile string, resolve func(context.Context, string, *generator.Options) error) (mod, sum []byte, err error) {
	dir := r.dir
	// One fixed name per repository: the repository is locked, so one
	// left by a killed run is this repository's, and goes.
	tmp := filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".scaffold-resolve")
	merr := os.RemoveAll(tmp)
	if merr == nil {
		merr = os.Mkdir(tmp, 0o700)
	}
	if merr != nil {
		if tmp, err = os.MkdirTemp("", "scaffold-upgrade-"); err != nil {
			return nil, nil, err
		}
	}
	defer os.RemoveAll(tmp)
	if err := t.WriteTo(tmp); err != nil {
		return nil, nil, err
	}
	env := gen.Env
	if env == nil {
		env = os.Environ()
	}
	gen.Env = gocmd.Setenv(env, "GOWORK", "off")
	if err := resolve(ctx, tmp, &gen); err != nil {
		return nil, nil, err
	}
	if mod, err = input.ReadFile(filepath.Join(tmp, filepath.FromSlash(modFile)), input.SourceLimit); err != nil {
		return nil, nil, err
	}
	sum, err = input.ReadFile(filepath.Join(tmp, filepath.FromSlash(target.SumFile(modFile))), input.SourceLimit)
	if errors.Is(err, fs.ErrNotExist) {
		return mod, nil, nil
	}
	return mod, sum, err
}

// byPath indexes a release's modules by path.
func byPath(m *manifest.Manifest) map[string]*manifest.Module {
	out := make(map[string]*manifest.Module, len(m.Modules))
	for i := range m.Modules {
		if _, seen := out[m.Modules[i].Path]; !seen {
			out[m.Modules[i].Path] = &m.Modules[i]
		}
	}
	return out
}
