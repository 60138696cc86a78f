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

	"github.com/scaffold-dev/scaffold/internal/gocmd"
	"github.com/scaffold-dev/scaffold/internal/gomod"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/versions"
)

// maxRounds bounds the tidy-and-pin loop. Each round can only raise
// versions towards the host's, and a module pinned because the plugin
// compiles a package of it stays required, so it settles in a round or
// two.
const maxRounds = 5

// Resolve completes go.mod and go.sum in dir with the host's toolchain,
// then holds every module from which the plugin compiles a package, and
// which the host builds too, to the host's version: one below is required
// at the host's version and resolved again; one above is an error naming
// the module, both versions and what raised it.
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
	o.logf("resolving modules with %s", o.Manifest.Go)
	stop := o.Progress.Start(fmt.Sprintf("resolving modules with %s (downloading it and the modules when they are not here yet)", o.Manifest.Go))
	defer stop()
	return resolve(ctx, gocmd.ForManifest(dir, env, o.Manifest), o)
}

func resolve(ctx context.Context, r *gocmd.Runner, o *Options) error {
	host := map[string]string{}
	for _, m := range o.Manifest.Modules {
		host[m.Path] = m.Version
	}
	gomodPath := filepath.Join(r.Dir, "go.mod")
	for round := 0; round < maxRounds; round++ {
		if _, err := r.Run(ctx, "mod", "tidy"); err != nil {
			return fmt.Errorf("resolving modules: %w", err)
		}
		// tidy drops requirements no package imports yet; the plugin's
		// own requirements stay, for the code its author will write.
		if len(o.Requires) > 0 {
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
	return errors.New("resolving modules: versions did not settle on the host's")
}

// CompiledModules returns the modules from which the plugin's build (its
// package main in r.Dir and everything it imports) compiles a package,
// with their selected versions, the main modules left out. These are the
// modules the plugin's build info lists, and the only ones whose versions
// plugin.Open can see.
func CompiledModules(ctx context.Context, r *gocmd.Runner) (map[string]string, error) {
	out, err := r.Run(ctx, "list", "-deps", "-json=Module", ".")
	if err != nil {
		return nil, fmt.Errorf("listing the plugin's packages: %w", err)
	}
	list := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			Module *struct {
				Path    string
				Version string
				Main    bool
			}
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("listing the plugin's packages: %w", err)
		}
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
