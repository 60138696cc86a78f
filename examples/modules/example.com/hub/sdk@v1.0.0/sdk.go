// Package sdk is what plugins for the example hub compile against.
//
// The hub opens every file in its plugin folder. Of each it looks up
// PluginInfo, a func() Info, and NewPlugin, a func(UserContext) Plugin; it
// lists the plugin by its Info, enables its instance and passes it the
// webhook requests it receives.
package sdk

import "net/http"

// Info tells the hub which plugin it loaded.
type Info struct {
	// ModulePath is the plugin's Go module path: the hub lists plugins by
	// it, and lists none without it.
	ModulePath string
	// Name is the plugin's name, as the hub shows it.
	Name string
	// Description says what the plugin does.
	Description string
}

// A UserContext is what the hub tells a plugin instance about the site it
// runs for.
type UserContext struct {
	// Site names the hub's site.
	Site string
}

// Plugin is a plugin's instance.
type Plugin interface {
	// Enable is called once the plugin is loaded; an error leaves it
	// disabled.
	Enable() error
	// Disable is called when the hub stops.
	Disable() error
	// ServeHTTP answers each webhook request the hub passes on.
	ServeHTTP(w http.ResponseWriter, r *http.Request)
}
