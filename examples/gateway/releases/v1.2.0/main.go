// Command gateway is a small request gateway that runs every request through
// the Go plugins its configuration names. This is its v1.2.0 release: the
// same plugin interface and Go release as v1.1.0, with example.com/textkit
// raised to v1.4.0, which needs a newer example.com/jsonkit (and that, a
// module of its own) that the gateway does not link. Plugins move to it
// from v1.1.0 with scaffold upgrade.
//
// Usage:
//
//	gateway -config gateway.json [-method GET] [-path /]
//
// The configuration lists plugins by name and file; paths are relative to
// the configuration file:
//
//	{"plugins": [{"name": "hello", "path": "plugins/hello.so", "enabled": true}]}
//
// The gateway loads each enabled plugin, runs one request through their
// OnRequest hooks in order and prints the resulting request as JSON.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"plugin"

	"example.com/gateway/sdk"
	"example.com/textkit"
)

// A pluginConfig is one entry of the configuration's plugin list.
type pluginConfig struct {
	Name    string          `json:"name"`
	Path    string          `json:"path"`
	Enabled *bool           `json:"enabled"`
	Config  json.RawMessage `json:"config"`
}

type config struct {
	Plugins []pluginConfig `json:"plugins"`
}

func main() {
	configFile := flag.String("config", "gateway.json", "configuration `file`")
	method := flag.String("method", "GET", "request method")
	path := flag.String("path", "/", "request path")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gateway: ")

	plugins, err := load(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	req := &sdk.Request{Method: *method, Path: *path, Header: map[string]string{}}
	req, err = serve(context.Background(), plugins, req)
	if err != nil {
		log.Fatal(err)
	}
	out, err := textkit.JSON(req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
}

// load opens every enabled plugin the configuration names.
func load(configFile string) ([]sdk.Plugin, error) {
	data, err := os.ReadFile(configFile)
	if err != nil {
		return nil, err
	}
	var cfg config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("reading %s: %w", configFile, err)
	}
	var plugins []sdk.Plugin
	for _, pc := range cfg.Plugins {
		if pc.Enabled != nil && !*pc.Enabled {
			continue
		}
		path := pc.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(configFile), path)
		}
		p, err := open(path)
		if err != nil {
			return nil, fmt.Errorf("loading plugin %s: %w", pc.Name, err)
		}
		log.Printf("Plugin loaded successfully: %s", pc.Name)
		plugins = append(plugins, p)
	}
	return plugins, nil
}

// open loads one plugin file and finds its Plugin variable.
func open(path string) (sdk.Plugin, error) {
	p, err := plugin.Open(path)
	if err != nil {
		return nil, err
	}
	sym, err := p.Lookup("Plugin")
	if err != nil {
		return nil, err
	}
	ptr, ok := sym.(*sdk.Plugin)
	if !ok {
		return nil, fmt.Errorf("symbol Plugin is a %T, not a sdk.Plugin variable", sym)
	}
	if *ptr == nil {
		return nil, errors.New("symbol Plugin is nil")
	}
	return *ptr, nil
}

// serve runs req through every plugin's OnRequest hook in order.
func serve(ctx context.Context, plugins []sdk.Plugin, req *sdk.Request) (*sdk.Request, error) {
	for _, p := range plugins {
		next, err := p.OnRequest(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("plugin %s rejected the request: %w", textkit.Quote(p.Name()), err)
		}
		if next != nil {
			req = next
		}
	}
	return req, nil
}
