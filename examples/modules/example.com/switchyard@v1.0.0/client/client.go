// Package client loads client plugins for proxies built on this module:
// a plugin exports a variable ClientRegisterer, whose address the loader
// asserts to [Registerer].
package client

import (
	"context"
	"fmt"
	"net/http"
	"plugin"
)

// Plugin is what the loader needs of an opened plugin; *plugin.Plugin is
// one.
type Plugin interface {
	Lookup(string) (plugin.Symbol, error)
}

// pluginOpener opens plugins; tests replace it.
var pluginOpener = defaultPluginOpener

func defaultPluginOpener(path string) (Plugin, error) { return plugin.Open(path) }

// Registerer is what a client plugin's ClientRegisterer must be.
type Registerer interface {
	RegisterClients(func(name string, client func(context.Context, map[string]interface{}) (http.Handler, error)))
}

// Load opens the plugin at path and adds each client it registers to
// clients, by name.
func Load(path string, clients map[string]func(context.Context, map[string]interface{}) (http.Handler, error)) error {
	p, err := pluginOpener(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	r, err := p.Lookup("ClientRegisterer")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	registerer, ok := r.(Registerer)
	if !ok {
		return fmt.Errorf("%s: client plugin loader: unknown type %T", path, r)
	}
	registerer.RegisterClients(func(name string, client func(context.Context, map[string]interface{}) (http.Handler, error)) {
		clients[name] = client
	})
	return nil
}
