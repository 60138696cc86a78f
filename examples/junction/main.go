// Command junction is a small API gateway that takes three kinds of plugin,
// each through its own loader in the module example.com/switchyard: a
// server plugin registers handlers, a client plugin registers clients, a
// modifier plugin registers modifiers of requests. Each loader opens
// plugins through an interface of its own, not *plugin.Plugin, and looks
// up one variable; the modifier loader asserts it through a generic
// helper. It is an example host of scaffold, for a host whose loaders are
// wrapped, and several in one dependency.
//
// Usage:
//
//	junction -config junction.json [-path /]
//
// The configuration lists plugins, paths relative to it, their kind, and
// the name each registers that requests go through:
//
//	{"plugins": [{"kind": "server", "path": "plugins/hello.so", "name": "hello", "config": {}}]}
//
// The junction loads every plugin, sends one request through the named server
// handlers, then through the named clients, and the request's path through
// the named modifiers, and prints the results as JSON.
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

	"example.com/switchyard/client"
	"example.com/switchyard/modifier"
	"example.com/switchyard/server"
)

type pluginConfig struct {
	Kind   string                 `json:"kind"`
	Path   string                 `json:"path"`
	Name   string                 `json:"name"`
	Config map[string]interface{} `json:"config"`
}

func main() {
	configFile := flag.String("config", "junction.json", "configuration `file`")
	path := flag.String("path", "/", "request path")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("junction: ")

	data, err := os.ReadFile(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	var cfg struct{ Plugins []pluginConfig }
	if err := json.Unmarshal(data, &cfg); err != nil {
		log.Fatalf("reading %s: %v", *configFile, err)
	}
	handlers := map[string]server.HandlerFactory{}
	clients := map[string]func(context.Context, map[string]interface{}) (http.Handler, error){}
	modifiers := map[string]modifier.Factory{}
	for _, pc := range cfg.Plugins {
		p := pc.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(*configFile), p)
		}
		switch pc.Kind {
		case "server":
			err = server.Load(p, handlers)
		case "client":
			err = client.Load(p, clients)
		case "modifier":
			err = modifier.Load(p, modifiers)
		default:
			err = fmt.Errorf("kind %q is none of server, client, modifier", pc.Kind)
		}
		if err != nil {
			log.Fatalf("loading plugin: %v", err)
		}
		log.Printf("Plugin loaded successfully: %s (%s)", pc.Path, pc.Kind)
	}

	out := struct {
		Status   int               `json:",omitempty"`
		Header   map[string]string `json:",omitempty"`
		Modified interface{}       `json:",omitempty"`
	}{}
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	for i := len(cfg.Plugins) - 1; i >= 0; i-- {
		pc := cfg.Plugins[i]
		switch pc.Kind {
		case "server":
			factory, ok := handlers[pc.Name]
			if !ok {
				log.Fatalf("no plugin registers the handler %s", pc.Name)
			}
			if h, err = factory(context.Background(), pc.Config, h); err != nil {
				log.Fatalf("handler %s: %v", pc.Name, err)
			}
		case "client":
			c, ok := clients[pc.Name]
			if !ok {
				log.Fatalf("no plugin registers the client %s", pc.Name)
			}
			if h, err = c(context.Background(), pc.Config); err != nil {
				log.Fatalf("client %s: %v", pc.Name, err)
			}
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, *path, nil))
	out.Status = rec.Code
	out.Header = map[string]string{}
	for k := range rec.Header() {
		out.Header[k] = rec.Header().Get(k)
	}
	var v interface{} = *path
	for _, pc := range cfg.Plugins {
		if pc.Kind != "modifier" {
			continue
		}
		factory, ok := modifiers[pc.Name]
		if !ok {
			log.Fatalf("no plugin registers the modifier %s", pc.Name)
		}
		if v, err = factory(pc.Config)(v); err != nil {
			log.Fatalf("modifier %s: %v", pc.Name, err)
		}
		out.Modified = v
	}
	data, err = json.Marshal(out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(data))
}
