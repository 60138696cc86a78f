package main

import (
	"fmt"
	"plugin"

	"example.com/sieve/sdk"
)

// A filter is one loaded plugin; the functions it need not export are nil
// when it does not.
type filter struct {
	getName func() string
	cleanup func() error
	filter  func(ctx *sdk.Context, req *sdk.Request) (*sdk.Verdict, error)
}

// load opens a plugin, looks up its functions and initialises it. GetName
// and Filter are required; Init and Cleanup are called when the plugin
// exports them.
func load(path string, config map[string]any) (*filter, error) {
	p, err := plugin.Open(path)
	if err != nil {
		return nil, err
	}
	f := &filter{}

	sym, err := p.Lookup("GetName")
	if err != nil {
		return nil, err
	}
	getName, ok := sym.(func() string)
	if !ok {
		return nil, fmt.Errorf("GetName is a %T, not a func() string", sym)
	}
	f.getName = getName

	sym, err = p.Lookup("Filter")
	if err != nil {
		return nil, err
	}
	switch fn := sym.(type) {
	case func(ctx *sdk.Context, req *sdk.Request) (*sdk.Verdict, error):
		f.filter = fn
	default:
		return nil, fmt.Errorf("Filter is a %T, which the sieve does not take", sym)
	}

	if sym, err := p.Lookup("Init"); err == nil {
		initFn, ok := sym.(func(config map[string]any) error)
		if !ok {
			return nil, fmt.Errorf("Init is a %T, not a func(map[string]any) error", sym)
		}
		if err := initFn(config); err != nil {
			return nil, fmt.Errorf("Init: %w", err)
		}
	}
	if sym, err := p.Lookup("Cleanup"); err == nil {
		if f.cleanup, ok = sym.(func() error); !ok {
			return nil, fmt.Errorf("Cleanup is a %T, not a func() error", sym)
		}
	}
	return f, nil
}
