//go:build !jsonkit

package textkit

import "encoding/json"

func marshal(v any) ([]byte, error) { return json.Marshal(v) }
