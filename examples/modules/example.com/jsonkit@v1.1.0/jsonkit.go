// Package jsonkit is a JSON encoder that example.com/textkit uses when it
// is built with the tag jsonkit. No example host builds with that tag, so
// none links jsonkit, though every plugin's go.mod lists it. This release
// needs example.com/asmkit, which the one before did not.
package jsonkit

import (
	"encoding/json"

	"example.com/asmkit"
)

// Marshal encodes v. The fast path, where asmkit allows it, writes the
// same bytes; this example takes the standard one either way.
func Marshal(v any) ([]byte, error) {
	_ = asmkit.Fast()
	return json.Marshal(v)
}
