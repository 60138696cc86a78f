// Package api is what plugins of the example kiln implement. The kiln
// publishes no SDK module: plugins import this package of its own module,
// whose source the module proxy serves at each release's tag.
package api

// Plugin is what a kiln plugin exports, as a variable named Plugin.
type Plugin interface {
	// Name names the plugin in the kiln's log.
	Name() string
	// Fire turns the kiln's input into the plugin's output.
	Fire(in string) string
}
