package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/gomod"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/pins"
	"github.com/scaffold-dev/scaffold/internal/versions"
)

// Resolve completes go.mod and go.sum in dir with the host's toolchain,
// then holds every module from which the plugin compiles a package, and
// which the host builds too, to the host's version: one below is required
// at the host's version and resolved again; one above is an error naming
// the module, both versions and what raised it. A requirement of the
// plugin's own (o.Requires) that the host's versions need higher is an
// error naming it and both versions, in the first round.
//
// Modules that are only in the plugin's module graph (a dependency's
// go.mod requires them, but no package of them is compiled) are left
// alone: plugin.Open compares packages, so their versions cannot matter,
// and go mod tidy would drop a pin of them again. The generated Makefile's
// pins and tidy targets and scaffold check apply the same rule.
//
// The plugin is resolved as its own main module, outside any workspace,
// as its Makefile builds it (GOWORK=off), unless the host's own module is
// the SDK, which only a workspace provides.
func Resolve(ctx context.Context, dir string, o *Options) error {
	env := o.Env
	if env == nil {
		env = os.Environ()
	}
	if !o.Manifest.SDKIsHost() {
		env = gocmd.Setenv(env, "GOWORK", "off")
	}
	what := "modules"
	if o.Targets != nil {
		what = fmt.Sprintf("the modules of %s %s", o.Manifest.Host.Name, o.Manifest.Host.Version)
	}
	o.logf("resolving %s with %s", what, o.Manifest.Go)
	stop := o.Progress.Start(fmt.Sprintf("resolving %s with %s (downloading it and the modules when they are not here yet)", what, o.Manifest.Go))
	defer stop()
	return resolve(ctx, gocmd.ForManifest(dir, env, o.Manifest), o)
}

func resolve(ctx context.Context, r *gocmd.Runner, o *Options) error {
	host := map[string]string{}
	for _, m := range o.Manifest.Modules {
		host[m.Path] = m.Version
	}
	gomodPath := filepath.Join(r.Dir, "go.mod")
	if o.modFile != "" {
		gomodPath = filepath.Join(r.Dir, filepath.FromSlash(o.modFile))
	}
	// Each round can only raise versions towards the host's: go mod tidy
	// never lowers one, a pin raises one, and the plugin's own
	// requirements, required at exactly their versions, are first
	// checked to lower nothing (see [heldBelow]). A round that does not
	// settle pins a module not pinned before (one pinned again is an
	// error naming it), so there are at most as many rounds as the host
	// has modules, and in practice one or two.
	pinned := map[string]bool{}
	for round := 0; round <= len(host); round++ {
		if _, err := r.Run(ctx, "mod", "tidy"); err != nil {
			return fmt.Errorf("resolving modules: %w%s", err, sumdbHint(err))
		}
		// tidy drops requirements no package imports yet; the plugin's
		// own requirements stay, for the code its author will write.
		if len(o.Requires) > 0 {
			if err := heldBelow(ctx, r, o.Requires); err != nil {
				return err
			}
			args := []string{"get"}
			for _, req := range o.Requires {
				args = append(args, req.Path+"@"+req.Version)
			}
			if _, err := r.Run(ctx, args...); err != nil {
				return fmt.Errorf("adding the plugin's requirements: %w", err)
			}
		}
		plugin, err := CompiledModules(ctx, r)
		if err != nil {
			return err
		}
		conflicts := versions.Compare(host, plugin)
		if len(conflicts) == 0 {
			return nil
		}
		var raised []string
		var pins []module.Version
		for _, c := range conflicts {
			if c.Raised() {
				c.By = requiredBy(ctx, r, c.Path+"@"+c.Plugin)
				raised = append(raised, c.String())
				continue
			}
			if pinned[c.Path] {
				return fmt.Errorf("resolving modules: %s fell to %s again after it was pinned to the host's %s: %s", c.Path, c.Plugin, c.Host, holdsDown(ctx, r, c, o.Requires))
			}
			pinned[c.Path] = true
			o.logf("pinning %s to the host's %s (was %s)", c.Path, c.Host, c.Plugin)
			pins = append(pins, module.Version{Path: c.Path, Version: c.Host})
		}
		if len(raised) > 0 {
			return fmt.Errorf("the plugin's requirements raise modules the host shares, and the host would refuse it:\n\t%s", strings.Join(raised, "\n\t"))
		}
		data, err := input.ReadFile(gomodPath, input.SourceLimit)
		if err != nil {
			return err
		}
		if data, err = gomod.Require(data, pins...); err != nil {
			return fmt.Errorf("go.mod: %w", err)
		}
		if err := os.WriteFile(gomodPath, data, 0o644); err != nil {
			return err
		}
	}
	return fmt.Errorf("resolving modules: versions did not settle on the host's after pinning each of its %d modules", len(host))
}

// heldBelow refuses a requirement of the plugin's own that is below the
// version the module graph selects for it, the host's module versions
// included: go get would take it down to the requirement, lowering the
// modules that need it higher, which pinning would raise again, round
// after round. The module and both versions are named, with what needs
// the higher one.
func heldBelow(ctx context.Context, r *gocmd.Runner, reqs []module.Version) error {
	args := []string{"list", "-m", "-e", "-json"}
	for _, req := range reqs {
		args = append(args, req.Path)
	}
	out, err := r.Run(ctx, args...)
	if err != nil {
		return fmt.Errorf("listing the plugin's requirements: %w", err)
	}
	selected := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m struct {
			Path, Version string
		}
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("listing the plugin's requirements: %w", err)
		}
		// A module outside the graph (an error, no version) is added
		// by go get at the requirement's version, which lowers nothing.
		selected[m.Path] = m.Version
	}
	var below []string
	for _, req := range reqs {
		v := selected[req.Path]
		if v == "" || semver.Compare(v, req.Version) <= 0 {
			continue
		}
		needs := "the host's module versions need " + v
		if by := requiredBy(ctx, r, req.Path+"@"+v); by != "" {
			needs = by + ", at the host's module versions, need " + v
			if !strings.Contains(by, ", ") {
				needs = by + ", at the host's module versions, needs " + v
			}
		}
		below = append(below, fmt.Sprintf("the plugin requires %s %s, but %s: holding %s would lower the host's modules, and the host would refuse the plugin; require %s %s, or drop the requirement", req.Path, req.Version, needs, req.Version, req.Path, v))
	}
	if len(below) > 0 {
		return errors.New(strings.Join(below, "\n"))
	}
	return nil
}

// holdsDown says what may hold a pinned module below the host's version,
// and what to do about it.
func holdsDown(ctx context.Context, r *gocmd.Runner, c versions.Conflict, own []module.Version) string {
	if len(own) > 0 {
		var reqs []string
		for _, req := range own {
			reqs = append(reqs, req.Path+" "+req.Version)
		}
		return fmt.Sprintf("the plugin's own requirements (%s) hold it there: raise them to versions that need %s %s, or drop them", strings.Join(reqs, ", "), c.Path, c.Host)
	}
	if by := requiredBy(ctx, r, c.Path+"@"+c.Plugin); by != "" {
		return fmt.Sprintf("%s require it there: require %s %s in go.mod (make get MODULE=%s@%s)", by, c.Path, c.Host, c.Path, c.Host)
	}
	return fmt.Sprintf("require %s %s in go.mod (make get MODULE=%s@%s)", c.Path, c.Host, c.Path, c.Host)
}

// CompiledModules returns the modules from which the plugin's build (its
// package main in r.Dir and everything it imports) compiles a package,
// with their selected versions, the main modules left out. These are the
// modules the plugin's build info lists, and the only ones whose versions
// plugin.Open can see.
func CompiledModules(ctx context.Context, r *gocmd.Runner) (map[string]string, error) {
	// The build tags are the environment's: a release's are in GOFLAGS
	// (see [ResolveRelease]).
	b := &pins.Build{Dir: r.Dir, Env: r.Env, Tags: []string{}}
	pkgs, err := b.Deps(ctx)
	if err != nil {
		return nil, err
	}
	list := map[string]string{}
	for _, p := range pkgs {
		if m := p.Module; m != nil && !m.Main {
			list[m.Path] = m.Version
		}
	}
	return list, nil
}

// requiredBy names the modules in the plugin's graph that require target
// (path@version), for the error message; "" when the graph cannot tell.
func requiredBy(ctx context.Context, r *gocmd.Runner, target string) string {
	out, err := r.Run(ctx, "mod", "graph")
	if err != nil {
		return ""
	}
	var by []string
	for _, line := range strings.Split(string(out), "\n") {
		from, to, ok := strings.Cut(line, " ")
		// The main module (no version) holds whatever go get raised it
		// to; the cause is the other requirer.
		if ok && to == target && strings.Contains(from, "@") {
			by = append(by, from)
		}
	}
	sort.Strings(by)
	return strings.Join(by, ", ")
}

// sumdbHint says what to do when the checksum database does not know a
// module the plugin needs: a host's SDK served by the module proxy but
// never published to the database, as some real ones are.
func sumdbHint(err error) string {
	msg := err.Error()
	i := strings.Index(msg, ": verifying ")
	if i < 0 || !strings.Contains(msg[i:], "sumdb") && !strings.Contains(msg[i:], "sum.golang.org") {
		return ""
	}
	path := msg[:i]
	if j := strings.LastIndex(path, " "); j >= 0 {
		path = path[j+1:]
	}
	path, _, _ = strings.Cut(path, "@")
	return fmt.Sprintf(" (the checksum database does not know %s: if that is expected, as for a private SDK, set GONOSUMDB=%s in the environment, or proxy.gonosumdb in the host's manifest)", path, path)
}
