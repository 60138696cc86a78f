// Command mono is the example host whose plugins import its own main
// module: there is no separate SDK, and releases exist only as tags of the
// host's repository. A plugin exports New, of type pluginapi.NewFunc.
//
// Usage:
//
//	mono -config mono.json [-input TEXT]
//
// The configuration names plugins by file; for plugins/NAME.so the host
// loads plugins/NAME_VERSION_GOOS_GOARCH.so when that exists, VERSION
// being the host's own:
//
//	{"plugins": [{"name": "upper", "path": "plugins/upper.so", "config": {}}]}
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"plugin"
	"runtime"
	"strings"

	"example.com/mono/pluginapi"
)

// version is the host's release, stamped with -X by its Makefile.
var version = "v0.0.0"

type pluginConfig struct {
	Name   string          `json:"name"`
	Path   string          `json:"path"`
	Config json.RawMessage `json:"config"`
}

func main() {
	configFile := flag.String("config", "mono.json", "configuration `file`")
	input := flag.String("input", "hello", "text to transform")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("mono: ")

	data, err := os.ReadFile(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	var cfg struct{ Plugins []pluginConfig }
	if err := json.Unmarshal(data, &cfg); err != nil {
		log.Fatalf("reading %s: %v", *configFile, err)
	}
	out := *input
	for _, pc := range cfg.Plugins {
		p, err := load(filepath.Dir(*configFile), pc)
		if err != nil {
			log.Fatalf("loading plugin %s: %v", pc.Name, err)
		}
		log.Printf("Plugin loaded successfully: %s", pc.Name)
		if out, err = p.Transform(context.Background(), out); err != nil {
			log.Fatalf("%s: %v", p.Name(), err)
		}
	}
	fmt.Println(out)
}

// load opens a plugin, preferring the file built for this release and
// platform, and calls its constructor.
func load(dir string, pc pluginConfig) (pluginapi.Plugin, error) {
	path := pc.Path
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	versioned := fmt.Sprintf("%s_%s_%s_%s.so", strings.TrimSuffix(path, ".so"), version, runtime.GOOS, runtime.GOARCH)
	if _, err := os.Stat(versioned); err == nil {
		path = versioned
	}
	p, err := plugin.Open(path)
	if err != nil {
		return nil, err
	}
	sym, err := p.Lookup("New")
	if err != nil {
		return nil, err
	}
	newPlugin, ok := sym.(pluginapi.NewFunc)
	if !ok {
		return nil, fmt.Errorf("New is a %T, not a pluginapi.NewFunc", sym)
	}
	return newPlugin(pc.Config)
}
