package main

import (
	"fmt"
	"plugin"

	"example.com/hub/sdk"
)

// A loaded plugin: what its info says, and its instance.
type loaded struct {
	file     string
	info     sdk.Info
	instance sdk.Plugin
	enabled  bool
}

// open opens one plugin file and makes its instance: PluginInfo and
// NewPlugin are required.
func open(path string, uc sdk.UserContext) (*loaded, error) {
	p, err := plugin.Open(path)
	if err != nil {
		return nil, err
	}
	sym, err := p.Lookup("PluginInfo")
	if err != nil {
		return nil, err
	}
	info, ok := sym.(func() sdk.Info)
	if !ok {
		return nil, fmt.Errorf("PluginInfo is a %T, not a func() sdk.Info", sym)
	}
	sym, err = p.Lookup("NewPlugin")
	if err != nil {
		return nil, err
	}
	newPlugin, ok := sym.(func(ctx sdk.UserContext) sdk.Plugin)
	if !ok {
		return nil, fmt.Errorf("NewPlugin is a %T, not a func(sdk.UserContext) sdk.Plugin", sym)
	}
	return &loaded{file: path, info: info(), instance: newPlugin(uc)}, nil
}
