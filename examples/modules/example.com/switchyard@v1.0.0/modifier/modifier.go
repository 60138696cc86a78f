// Package modifier loads modifier plugins, which rewrite requests and
// responses: a plugin exports a variable ModifierRegisterer, whose address
// the loader asserts to [Registerer] through a small generic helper.
package modifier

import (
	"fmt"
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

// A Factory makes a modifier from its configuration.
type Factory = func(config map[string]interface{}) func(interface{}) (interface{}, error)

// Registerer is what a modifier plugin's ModifierRegisterer must be.
type Registerer interface {
	RegisterModifiers(func(name string, factory func(map[string]interface{}) func(interface{}) (interface{}, error), appliesToRequest bool, appliesToResponse bool))
}

// as asserts a looked-up symbol to T, saying what it is otherwise.
func as[T any](sym plugin.Symbol) (T, error) {
	v, ok := sym.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("unknown type %T", sym)
	}
	return v, nil
}

// Load opens the plugin at path and adds each modifier it registers to
// modifiers, by name.
func Load(path string, modifiers map[string]Factory) error {
	p, err := pluginOpener(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	r, err := p.Lookup("ModifierRegisterer")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	registerer, err := as[Registerer](r)
	if err != nil {
		return fmt.Errorf("%s: modifier plugin loader: %w", path, err)
	}
	registerer.RegisterModifiers(func(name string, factory func(map[string]interface{}) func(interface{}) (interface{}, error), _, _ bool) {
		modifiers[name] = factory
	})
	return nil
}
