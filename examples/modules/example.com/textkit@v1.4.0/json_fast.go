//go:build jsonkit

package textkit

import "example.com/jsonkit"

func marshal(v any) ([]byte, error) { return jsonkit.Marshal(v) }
