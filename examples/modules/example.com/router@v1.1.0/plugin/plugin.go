// Package plugin loads handler plugins for routers built on this module.
//
// A handler plugin exports a variable HandlerRegisterer. Lookup returns a
// pointer to it, which the loader asserts to [Registerer] as it is: the
// plugin's own type, with a method RegisterHandlers, satisfies it
// structurally, and the plugin need not import this package.
package plugin

import (
	"context"
	"fmt"
	"net/http"
	"plugin"
)

// A HandlerFactory wraps the next handler with a plugin's handler, given
// the plugin's configuration.
type HandlerFactory = func(ctx context.Context, config map[string]interface{}, next http.Handler) (http.Handler, error)

// Registerer is what a handler plugin's HandlerRegisterer must be: it
// registers each of the plugin's handlers under a name.
type Registerer interface {
	RegisterHandlers(func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)))
	// Describe says in one line what the plugin's handlers do; the
	// router logs it once the plugin is loaded.
	Describe() string
}

// Load opens the plugin at path and adds each handler it registers to
// handlers, by name. It returns the plugin's description.
func Load(path string, handlers map[string]HandlerFactory) (string, error) {
	p, err := plugin.Open(path)
	if err != nil {
		return "", fmt.Errorf("opening %s: %w", path, err)
	}
	r, err := p.Lookup("HandlerRegisterer")
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	registerer, ok := r.(Registerer)
	if !ok {
		return "", fmt.Errorf("%s: http-server-handler plugin loader: unknown type %T", path, r)
	}
	registerer.RegisterHandlers(func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)) {
		handlers[name] = handler
	})
	return registerer.Describe(), nil
}
