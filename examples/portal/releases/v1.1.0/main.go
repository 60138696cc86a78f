// Command portal is a small API gateway that takes handler plugins through
// the loader of example.com/router/plugin: each plugin exports a variable
// HandlerRegisterer whose pointer has the method RegisterHandlers, which the
// loader asserts structurally to plugin.Registerer. It is an example host
// of scaffold, for a contract whose interface lives in a dependency of the
// host and is asserted on the looked-up pointer itself.
//
// This is its release v1.1.0, kept with its source: example.com/router
// v1.1.0's Registerer has the new method Describe, which the portal logs,
// and a plugin marked "factory" is loaded through package factory, which
// looks up a constructor New instead.
//
// Usage:
//
//	portal -config portal.json [-path /]
//
// The configuration lists plugins, paths relative to it, and the handler
// each plugin registers that requests go through:
//
//	{"plugins": [{"path": "plugins/hello.so", "handler": "hello", "config": {}}]}
//
// The portal loads every plugin, sends one request through the named
// handlers and prints the response as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"example.com/router/factory"
	"example.com/router/plugin"
)

type pluginConfig struct {
	Path    string                 `json:"path"`
	Handler string                 `json:"handler"`
	Config  map[string]interface{} `json:"config"`
	Factory bool                   `json:"factory"`
}

func main() {
	configFile := flag.String("config", "portal.json", "configuration `file`")
	path := flag.String("path", "/", "request path")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("portal: ")

	data, err := os.ReadFile(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	var cfg struct{ Plugins []pluginConfig }
	if err := json.Unmarshal(data, &cfg); err != nil {
		log.Fatalf("reading %s: %v", *configFile, err)
	}
	handlers := map[string]plugin.HandlerFactory{}
	for _, pc := range cfg.Plugins {
		p := pc.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(*configFile), p)
		}
		var about string
		if pc.Factory {
			r, err := factory.Open(p, pc.Config)
			if err != nil {
				log.Fatalf("loading plugin: %v", err)
			}
			r.RegisterHandlers(func(name string, handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)) {
				handlers[name] = handler
			})
			about = r.Describe()
		} else if about, err = plugin.Load(p, handlers); err != nil {
			log.Fatalf("loading plugin: %v", err)
		}
		log.Printf("Plugin loaded successfully: %s (%s)", pc.Path, about)
	}
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	for i := len(cfg.Plugins) - 1; i >= 0; i-- {
		pc := cfg.Plugins[i]
		factory, ok := handlers[pc.Handler]
		if !ok {
			log.Fatalf("no plugin registers the handler %s", pc.Handler)
		}
		if h, err = factory(context.Background(), pc.Config, h); err != nil {
			log.Fatalf("handler %s: %v", pc.Handler, err)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, *path, nil))
	header := map[string]string{}
	for k := range rec.Header() {
		header[k] = rec.Header().Get(k)
	}
	out, err := json.Marshal(struct {
		Status int
		Header map[string]string
	}{rec.Code, header})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
}
