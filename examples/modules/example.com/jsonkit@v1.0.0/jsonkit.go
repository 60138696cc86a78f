// Package jsonkit is a JSON encoder that example.com/textkit uses when it
// is built with the tag jsonkit. No example host builds with that tag, so
// none links jsonkit, though every plugin's go.mod lists it.
package jsonkit

import "encoding/json"

// Marshal encodes v.
func Marshal(v any) ([]byte, error) { return json.Marshal(v) }
