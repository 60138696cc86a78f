package hooks

import (
	"fmt"
	"slices"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// Stubs is the implementation of only the named methods of k, for code
// written beside an author's own when a host release adds methods to the
// contract. The bodies honour the context and pass inputs through like
// the generated hooks, but leave out the manifest's examples, which may
// use names the author's code no longer declares. Imports are the ones
// those methods' signatures use, so that the file compiles on its own.
func Stubs(k *manifest.Contract, typ string, names []string) (*Set, error) {
	only := *k
	only.Methods = nil
	for _, m := range k.Methods {
		if slices.Contains(names, m.Name) {
			m.Example = ""
			only.Methods = append(only.Methods, m)
		}
	}
	if len(only.Methods) != len(names) {
		return nil, fmt.Errorf("contract: stubs for %v: not every name is a method of %s", names, k.Interface)
	}
	s, err := New(&only, k.Symbol, typ)
	if err != nil {
		return nil, err
	}
	specs := map[string]bool{}
	for _, m := range only.Methods {
		ft, err := manifest.ParseSignature(m.Signature)
		if err != nil {
			return nil, fmt.Errorf("method %s: %w", m.Name, err)
		}
		for _, q := range manifest.Qualifiers(ft) {
			specs[importSpec(k, q)] = true
		}
	}
	s.Imports = group(specs)
	return s, nil
}
