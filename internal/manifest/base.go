package manifest

import (
	"fmt"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// ReadBase reads a base file as [LoadBase] does, and also reports which
// fields it sets, by path such as "contract.symbols[0].required": a false
// written in the file and one left out mean different things to a
// contract read from the host's loader.
func ReadBase(file string) (*Manifest, map[string]bool, error) {
	data, err := input.ReadFile(file, input.ManifestLimit)
	if err != nil {
		return nil, nil, fmt.Errorf("reading base file: %w", err)
	}
	m, lines, p := decode(file, data)
	if p != nil {
		// Its problems are the base file's, which is no manifest yet.
		p.Kind = "base file"
		return nil, nil, p
	}
	set := make(map[string]bool, len(lines))
	for path := range lines {
		set[path] = true
	}
	return m, set, nil
}
