// Package pluginapi is the part of the example mono host that its plugins
// import. The host publishes no SDK module: plugins build against the
// host's own source, at the release's revision, in a Go workspace.
package pluginapi

import (
	"context"
	"encoding/json"

	"example.com/legacy"
	"example.com/oldkit"
	"example.com/textkit"
)

// Plugin transforms the text the host passes through it.
type Plugin interface {
	// Name names the plugin in the host's logs.
	Name() string
	// Transform returns in, transformed.
	Transform(ctx context.Context, in string) (string, error)
}

// NewFunc is the constructor every plugin exports as New. The host calls
// it once, with the plugin's configuration.
type NewFunc = func(config json.RawMessage) (Plugin, error)

// Emphasize is a helper plugins may use.
func Emphasize(s string) string {
	return oldkit.Frame(legacy.Shout(textkit.Quote(s)))
}
