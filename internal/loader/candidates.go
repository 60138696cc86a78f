package loader

import (
	"context"
	"fmt"
	"go/types"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A candidate is one contract the host's code has: a host may load
// several kinds of plugin, each with a loader of its own.
type candidate struct {
	kind    string
	loader  *Loader
	lookups []Lookup
	// marked is the SDK package whose //scaffold:symbols block declares
	// a symbol set, for a set the loader's code does not show (looked up
	// through a table, say).
	marked *SDK
	// pkg is the package of the interface the plugin implements, for the
	// kinds that have one.
	pkg, iface string
}

// name is how the candidate is picked and listed: the symbol for a
// contract of one symbol, else its kind.
func (c *candidate) name() string {
	switch c.kind {
	case manifest.KindInterfaceVariable, manifest.KindImplementer, manifest.KindConstructor:
		return c.lookups[0].Name
	}
	return c.kind
}

func (c *candidate) describe() string {
	if c.marked != nil {
		return fmt.Sprintf("%s: the symbol set its %s block declares", c.marked.Path, symbolsDirective)
	}
	q := c.loader.Qualifier()
	lk := c.lookups[0]
	at := where(lk.Pos)
	switch c.kind {
	case manifest.KindInterfaceVariable:
		return fmt.Sprintf("%s: looks up %s, a variable of type %s (%s)", c.loader.Path, lk.Name, types.TypeString(lk.Type, q), at)
	case manifest.KindImplementer:
		return fmt.Sprintf("%s: looks up %s and asserts it to %s (%s)", c.loader.Path, lk.Name, types.TypeString(lk.Type, q), at)
	case manifest.KindConstructor:
		return fmt.Sprintf("%s: looks up %s, a constructor of type %s (%s)", c.loader.Path, lk.Name, types.TypeString(lk.Type, q), at)
	case manifest.KindHandlers:
		return fmt.Sprintf("%s: looks up names its configuration gives, as %s (%s)", c.loader.Path, types.TypeString(lk.Type, q), at)
	}
	var names []string
	for _, lk := range c.lookups {
		names = append(names, lk.Name)
	}
	return fmt.Sprintf("%s: looks up %s (%s)", c.loader.Path, strings.Join(names, ", "), at)
}

// candidates lists the contracts of the loaders found: per package, each
// symbol asserted to an interface (an implementer) or to a pointer to an
// interface (an interface variable); the other constant lookups together
// (a symbol set, or a constructor when it is one function returning an
// interface); and the names taken from configuration, by type (handlers).
func (r *run) candidates() []*candidate {
	var out []*candidate
	for _, l := range r.loaders {
		var set []Lookup
		handlers := map[string]*candidate{}
		for _, lk := range l.Lookups {
			switch {
			case lk.Dynamic && lk.Shape == Func:
				key := types.TypeString(lk.Type, nil)
				if c, ok := handlers[key]; ok {
					c.lookups = append(c.lookups, lk)
					continue
				}
				c := &candidate{kind: manifest.KindHandlers, loader: l, lookups: []Lookup{lk}}
				handlers[key] = c
				out = append(out, c)
			case lk.Dynamic:
			case lk.Shape == Implements:
				c := &candidate{kind: manifest.KindImplementer, loader: l, lookups: []Lookup{lk}}
				if named, ok := types.Unalias(lk.Type).(*types.Named); ok && named.Obj().Pkg() != nil {
					c.pkg, c.iface = named.Obj().Pkg().Path(), named.Obj().Name()
				}
				out = append(out, c)
			case lk.Shape == Variable && isNamedInterface(lk.Type):
				named := types.Unalias(lk.Type).(*types.Named)
				out = append(out, &candidate{kind: manifest.KindInterfaceVariable, loader: l, lookups: []Lookup{lk},
					pkg: named.Obj().Pkg().Path(), iface: named.Obj().Name()})
			default:
				set = append(set, lk)
			}
		}
		if len(set) == 0 {
			continue
		}
		c := &candidate{kind: manifest.KindSymbols, loader: l, lookups: set}
		if len(set) == 1 {
			if named := constructs(set[0]); named != nil {
				c.kind, c.pkg, c.iface = manifest.KindConstructor, named.Obj().Pkg().Path(), named.Obj().Name()
			}
		}
		out = append(out, c)
	}
	return out
}

func isNamedInterface(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	_, ok = named.Underlying().(*types.Interface)
	return ok
}

// constructs returns the named interface a looked-up function returns,
// alone or with an error: what a constructor makes.
func constructs(lk Lookup) *types.Named {
	if lk.Shape != Func {
		return nil
	}
	sig, ok := lk.Type.Underlying().(*types.Signature)
	if !ok {
		return nil
	}
	res := sig.Results()
	if res.Len() == 0 || res.Len() > 2 || res.Len() == 2 && !isError(res.At(1).Type()) {
		return nil
	}
	if !isNamedInterface(res.At(0).Type()) {
		return nil
	}
	return types.Unalias(res.At(0).Type()).(*types.Named)
}

// choose picks the contract: the only one, or the one the base file or
// --contract names. None means the SDK's declarations are to be read, as
// the base file names them.
func (r *run) choose(cands []*candidate) (*candidate, error) {
	b := r.o.Base
	keep := slices.Clone(cands)
	filter := func(ok func(c *candidate) bool) {
		keep = slices.DeleteFunc(keep, func(c *candidate) bool { return !ok(c) })
	}
	if b.Kind != "" {
		filter(func(c *candidate) bool {
			return c.kind == b.Kind ||
				// A constructor the base file names may be one symbol of a
				// set, or a set of one the reader took for a constructor.
				b.Kind == manifest.KindConstructor && c.kind == manifest.KindSymbols ||
				b.Kind == manifest.KindSymbols && c.kind == manifest.KindConstructor
		})
	}
	if b.Symbol != "" {
		filter(func(c *candidate) bool { return c.has(b.Symbol) })
	}
	if b.Constructor != nil && b.Constructor.Name != "" {
		filter(func(c *candidate) bool { return c.has(b.Constructor.Name) })
	}
	if b.Package != "" {
		filter(func(c *candidate) bool {
			return c.pkg == b.Package || c.loader != nil && c.loader.Path == b.Package || c.kind == manifest.KindSymbols || c.kind == manifest.KindHandlers
		})
	}
	if len(b.Symbols) > 0 {
		// The set that has the symbols the base file lists, or, when none
		// has them all, the sets there are: the names it does not look up
		// are then reported against the one kept.
		before := slices.Clone(keep)
		for _, s := range b.Symbols {
			filter(func(c *candidate) bool { return c.has(s.Name) })
		}
		if len(keep) == 0 {
			keep = slices.DeleteFunc(before, func(c *candidate) bool { return c.kind != manifest.KindSymbols })
		}
	}
	if r.o.Pick != "" {
		pick := r.o.Pick
		filter(func(c *candidate) bool {
			return c.name() == pick || c.kind == pick || c.pkg == pick || c.loader != nil && c.loader.Path == pick
		})
		if len(keep) == 0 {
			return nil, fmt.Errorf("--contract %s: the host's code has no such contract%s", pick, listing(cands))
		}
	}
	switch {
	case len(keep) == 1:
		return keep[0], nil
	case len(keep) > 1:
		return nil, fmt.Errorf("the host's code has %d plugin contracts: pick one with --contract NAME (or with contract.symbol, contract.kind or contract.package in a base file)%s", len(keep), listing(keep))
	}
	if len(cands) > 0 && b.Kind == "" && len(b.Symbols) == 0 {
		return nil, fmt.Errorf("the base file's contract matches none of the host's code%s", listing(cands))
	}
	if b.Kind == "" {
		if len(r.loaders) == 0 {
			return nil, r.noLoader()
		}
		return nil, fmt.Errorf("contract.kind: the host's loaders look up no symbol by a constant name or a configured one whose type they assert: give the contract in a base file")
	}
	return nil, nil
}

// has tells whether the candidate looks name up.
func (c *candidate) has(name string) bool {
	if c.marked != nil {
		return true // the base file's names are held to the block when it is read
	}
	return slices.ContainsFunc(c.lookups, func(lk Lookup) bool { return lk.Name == name })
}

// marked adds to cands the symbol set an SDK package the loaders' types
// come from declares with a //scaffold:symbols block, when no loader's
// lookups give a symbol set already: a host may look its symbols up in a
// way the reader does not follow.
func (r *run) marked(ctx context.Context, cands []*candidate) []*candidate {
	if slices.ContainsFunc(cands, func(c *candidate) bool { return c.kind == manifest.KindSymbols }) {
		return cands
	}
	var paths []string
	for _, l := range r.loaders {
		for _, lk := range l.Lookups {
			for _, p := range packagesOf(lk.Type) {
				paths = append(paths, p.Path())
			}
		}
	}
	if r.res.SDKModule != "" {
		paths = append(paths, r.res.SDKModule)
	}
	slices.Sort(paths)
	for _, p := range slices.Compact(paths) {
		if isStd(p) {
			continue
		}
		sdk, err := r.sdkPackage(ctx, p)
		if err != nil || !sdk.hasMarkedSymbols() {
			continue
		}
		cands = append(cands, &candidate{kind: manifest.KindSymbols, marked: sdk, pkg: sdk.Path})
	}
	return cands
}

func listing(cands []*candidate) string {
	if len(cands) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(":")
	for _, c := range cands {
		fmt.Fprintf(&b, "\n\t--contract %-18s %s", c.name(), c.describe())
	}
	return b.String()
}

// noLoader says why no loader was found, and what to do.
func (r *run) noLoader() error {
	if r.main.Dir == "" && r.o.SourceVersion == "" {
		return &MissingFlagError{Flag: "--host-source", Why: fmt.Sprintf(": no package of the host's dependencies looks plugin symbols up, so its loader is in its own module %s, and the binary records no revision (vcs.revision) to fetch that module's source at: give a checkout of the release", r.o.Host.Module)}
	}
	return fmt.Errorf("no package of the host's build, its own module %s included, looks plugin symbols up by a constant name or asserts what it looks up: give the contract in a base file", r.o.Host.Module)
}
