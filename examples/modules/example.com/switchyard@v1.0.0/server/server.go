// Package server loads handler plugins for servers built on this module.
//
// A handler plugin exports a variable HandlerRegisterer. The loader opens
// plugins through a small interface of its own, so that tests can give it
// a fake, looks the variable up and asserts its address to [Registerer],
// structurally: the plugin need not import this package.
package server

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

// A HandlerFactory wraps the next handler with a plugin's handler, given
// the plugin's configuration.
type HandlerFactory = func(ctx context.Context, config map[string]interface{}, next http.Handler) (http.Handler, error)

// Registerer is what a handler plugin's HandlerRegisterer must be.
type Registerer interface {
	RegisterHandlers(func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)))
}

// Load opens the plugin at path and adds each handler it registers to
// handlers, by name.
func Load(path string, handlers map[string]HandlerFactory) error {
	p, err := pluginOpener(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	r, err := p.Lookup("HandlerRegisterer")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	registerer, ok := r.(Registerer)
	if !ok {
		return fmt.Errorf("%s: server plugin loader: unknown type %T", path, r)
	}
	registerer.RegisterHandlers(func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)) {
		handlers[name] = handler
	})
	return nil
}
