// Command sieve is a small request filter that takes Go plugins. It looks
// up each plugin's functions by fixed names and asserts each to a function
// type written out in its loader (loader.go): its SDK declares no type for
// them. It is an example host of scaffold, for a contract read from the
// host's own loader source. In this release a plugin may also answer the
// request itself (Serve) and try the sieve's probe first (Probe), with
// types from the SDK's packages log, errors, httptest and plugin, named
// like standard packages, and version, named like the variable a plugin's
// build stamps.
//
// Usage:
//
//	sieve -config sieve.json [-method GET] [-path /]
//
// The configuration lists plugins; paths are relative to it:
//
//	{"plugins": [{"name": "hello", "path": "plugins/hello.so", "config": {}}]}
//
// The sieve loads every plugin, runs one request through their filters,
// lets the first plugin that serves answer it, and prints the request, the
// verdict and the response as JSON.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/sieve/sdk"
)

type pluginConfig struct {
	Name   string         `json:"name"`
	Path   string         `json:"path"`
	Config map[string]any `json:"config"`
}

// A response is what the serving plugin answered.
type response struct {
	Status int
	Header map[string]string
	Body   string
	Log    []string
}

func main() {
	configFile := flag.String("config", "sieve.json", "configuration `file`")
	method := flag.String("method", "GET", "request method")
	path := flag.String("path", "/", "request path")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("sieve: ")

	data, err := os.ReadFile(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	var cfg struct{ Plugins []pluginConfig }
	if err := json.Unmarshal(data, &cfg); err != nil {
		log.Fatalf("reading %s: %v", *configFile, err)
	}
	var filters []*filter
	for _, pc := range cfg.Plugins {
		p := pc.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(*configFile), p)
		}
		f, err := load(p, pc.Config, len(cfg.Plugins))
		if err != nil {
			log.Fatalf("loading plugin %s: %v", pc.Name, err)
		}
		log.Printf("Plugin loaded successfully: %s (%s)", pc.Name, f.getName())
		filters = append(filters, f)
	}
	req := &sdk.Request{Method: *method, Path: *path, Header: map[string]string{}}
	ctx := &sdk.Context{RequestID: "1", Values: map[string]string{}}
	verdict := &sdk.Verdict{Allow: true}
	for _, f := range filters {
		if f.filter == nil {
			continue
		}
		v, err := f.filter(ctx, req)
		if err != nil {
			log.Fatalf("%s: %v", f.getName(), err)
		}
		if v != nil {
			verdict = v
		}
		if !verdict.Allow {
			break
		}
	}
	var resp *response
	for _, f := range filters {
		if f.serve == nil || !verdict.Allow {
			continue
		}
		if resp, err = f.answer(ctx, req, &verdict); err != nil {
			log.Fatalf("%s: Serve: %v", f.getName(), err)
		}
		break
	}
	for _, f := range filters {
		if f.cleanup == nil {
			continue
		}
		if err := f.cleanup(); err != nil {
			log.Printf("%s: Cleanup: %v", f.getName(), err)
		}
	}
	out, err := json.Marshal(struct {
		Request  *sdk.Request
		Verdict  *sdk.Verdict
		Response *response `json:",omitempty"`
	}{req, verdict, resp})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
}
