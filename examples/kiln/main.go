// Command kiln is the example host whose plugins import its own main
// module and whose source is published only through the module proxy, at
// its release's tag: no repository is named anywhere. A plugin exports a
// variable Plugin of type api.Plugin.
//
// Usage:
//
//	kiln -config kiln.json [-input TEXT]
//
// The configuration lists plugin files, relative to it:
//
//	{"plugins": ["plugins/glaze.so"]}
//
// The kiln passes the input through every plugin's Fire, in order, and
// prints the result.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"plugin"

	"example.com/kiln/api"
)

func main() {
	configFile := flag.String("config", "kiln.json", "configuration `file`")
	input := flag.String("input", "clay", "text to fire")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("kiln: ")

	data, err := os.ReadFile(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	var cfg struct{ Plugins []string }
	if err := json.Unmarshal(data, &cfg); err != nil {
		log.Fatalf("reading %s: %v", *configFile, err)
	}
	out := *input
	for _, path := range cfg.Plugins {
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(*configFile), path)
		}
		pl, err := load(path)
		if err != nil {
			log.Fatalf("loading plugin: %v", err)
		}
		log.Printf("Plugin loaded successfully: %s", pl.Name())
		out = pl.Fire(out)
	}
	fmt.Println(out)
}

// load opens a plugin and looks up its Plugin variable.
func load(path string) (api.Plugin, error) {
	p, err := plugin.Open(path)
	if err != nil {
		return nil, err
	}
	sym, err := p.Lookup("Plugin")
	if err != nil {
		return nil, err
	}
	pl, ok := sym.(*api.Plugin)
	if !ok {
		return nil, fmt.Errorf("%s: Plugin is a %T, not an api.Plugin", path, sym)
	}
	return *pl, nil
}
