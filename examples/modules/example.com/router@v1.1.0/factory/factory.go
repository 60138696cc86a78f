// Package factory loads plugins that construct their registerer: a plugin
// exports a function New, which the loader asserts to an inline func type
// and calls with the plugin's configuration.
package factory

import (
	"fmt"
	goplugin "plugin"

	"example.com/router/plugin"
)

// Open opens the plugin at path and returns the registerer its New makes
// from config.
func Open(path string, config map[string]interface{}) (plugin.Registerer, error) {
	p, err := goplugin.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	sym, err := p.Lookup("New")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	newRegisterer, ok := sym.(func(config map[string]interface{}) (plugin.Registerer, error))
	if !ok {
		return nil, fmt.Errorf("%s: New is a %T, not a constructor", path, sym)
	}
	return newRegisterer(config)
}
