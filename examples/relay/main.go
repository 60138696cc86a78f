// Command relay is a small request relay that takes two kinds of Go
// plugin: hook plugins, whose functions it looks up by fixed names (Init,
// GetName and Cleanup required; PreHook and PostHook called when the plugin
// exports them), and handler plugins, whose http handlers its configuration
// names. It is an example host of scaffold, for the symbol-set and handler
// contracts.
//
// Usage:
//
//	relay -config relay.json [-method GET] [-path /]
//
// The configuration lists plugins; paths are relative to it:
//
//	{"plugins": [
//	  {"name": "hello", "path": "plugins/hello.so", "kind": "hooks", "config": {}},
//	  {"name": "auth", "path": "plugins/auth.so", "kind": "handlers", "handlers": ["Check"]}
//	]}
//
// The relay loads every plugin, runs one request through the hooks and
// handlers, and prints the request and response as JSON.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"plugin"

	"example.com/logkit"
	"example.com/relay/sdk"
)

type pluginConfig struct {
	Name     string          `json:"name"`
	Path     string          `json:"path"`
	Kind     string          `json:"kind"`
	Handlers []string        `json:"handlers"`
	Config   json.RawMessage `json:"config"`
}

// A hooks plugin, its optional functions nil when not exported.
type hooks struct {
	name     string
	init     sdk.InitFunc
	getName  sdk.GetNameFunc
	cleanup  sdk.CleanupFunc
	preHook  sdk.PreHookFunc
	postHook sdk.PostHookFunc
}

type relay struct {
	hooks    []*hooks
	handlers []sdk.Middleware
}

func main() {
	configFile := flag.String("config", "relay.json", "configuration `file`")
	method := flag.String("method", "GET", "request method")
	path := flag.String("path", "/", "request path")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix(logkit.Prefix("relay"))

	r, err := load(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	defer r.cleanup()
	out, err := r.serve(&sdk.Request{Method: *method, Path: *path, Header: map[string]string{}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
}

func load(configFile string) (*relay, error) {
	data, err := os.ReadFile(configFile)
	if err != nil {
		return nil, err
	}
	var cfg struct{ Plugins []pluginConfig }
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("reading %s: %w", configFile, err)
	}
	r := &relay{}
	for _, pc := range cfg.Plugins {
		path := pc.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(configFile), path)
		}
		p, err := plugin.Open(path)
		if err != nil {
			return nil, fmt.Errorf("loading plugin %s: %w", pc.Name, err)
		}
		switch pc.Kind {
		case "hooks":
			h, err := loadHooks(p, pc)
			if err != nil {
				return nil, fmt.Errorf("loading plugin %s: %w", pc.Name, err)
			}
			r.hooks = append(r.hooks, h)
		case "handlers":
			for _, name := range pc.Handlers {
				sym, err := p.Lookup(name)
				if err != nil {
					return nil, fmt.Errorf("loading plugin %s: %w", pc.Name, err)
				}
				h, ok := sym.(sdk.Middleware)
				if !ok {
					return nil, fmt.Errorf("loading plugin %s: %s is a %T, not a sdk.Middleware", pc.Name, name, sym)
				}
				r.handlers = append(r.handlers, h)
			}
		default:
			return nil, fmt.Errorf("plugin %s: kind %q is neither hooks nor handlers", pc.Name, pc.Kind)
		}
		log.Printf("Plugin loaded successfully: %s", pc.Name)
	}
	return r, nil
}

// loadHooks looks up a hook plugin's functions, each asserted to its exact
// type, and initialises the plugin.
func loadHooks(p *plugin.Plugin, pc pluginConfig) (*hooks, error) {
	h := &hooks{name: pc.Name}
	for _, s := range []struct {
		name     string
		required bool
		assign   func(plugin.Symbol) bool
	}{
		{"Init", true, func(s plugin.Symbol) (ok bool) { h.init, ok = s.(sdk.InitFunc); return }},
		{"GetName", true, func(s plugin.Symbol) (ok bool) { h.getName, ok = s.(sdk.GetNameFunc); return }},
		{"Cleanup", true, func(s plugin.Symbol) (ok bool) { h.cleanup, ok = s.(sdk.CleanupFunc); return }},
		{"PreHook", false, func(s plugin.Symbol) (ok bool) { h.preHook, ok = s.(sdk.PreHookFunc); return }},
		{"PostHook", false, func(s plugin.Symbol) (ok bool) { h.postHook, ok = s.(sdk.PostHookFunc); return }},
	} {
		sym, err := p.Lookup(s.name)
		if err != nil {
			if s.required {
				return nil, err
			}
			continue
		}
		if !s.assign(sym) {
			return nil, fmt.Errorf("symbol %s has type %T, which is not the relay's", s.name, sym)
		}
	}
	var config any
	if len(pc.Config) > 0 {
		if err := json.Unmarshal(pc.Config, &config); err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
	}
	if err := h.init(config); err != nil {
		return nil, fmt.Errorf("Init: %w", err)
	}
	return h, nil
}

// serve runs req through every pre-hook, the handlers and every post-hook.
func (r *relay) serve(req *sdk.Request) ([]byte, error) {
	ctx := &sdk.Context{RequestID: fmt.Sprintf("%08x", req.ID()), Values: map[string]string{}}
	var resp *sdk.Response
	for _, h := range r.hooks {
		if h.preHook == nil {
			continue
		}
		next, sc, err := h.preHook(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("%s rejected the request: %w", h.getName(), err)
		}
		if sc != nil {
			resp = &sdk.Response{Status: sc.Status, Header: map[string]string{"X-Short-Circuit": sc.Reason}}
			break
		}
		if next != nil {
			req = next
		}
	}
	if resp == nil {
		hr := httptest.NewRequest(req.Method, req.Path, nil)
		for k, v := range req.Header {
			hr.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		for _, h := range r.handlers {
			h(rec, hr)
		}
		resp = &sdk.Response{Status: rec.Code, Header: map[string]string{}}
		for k := range rec.Header() {
			resp.Header[k] = rec.Header().Get(k)
		}
	}
	for _, h := range r.hooks {
		if h.postHook == nil {
			continue
		}
		next, err := h.postHook(ctx, resp)
		if err != nil {
			return nil, fmt.Errorf("%s failed the response: %w", h.getName(), err)
		}
		if next != nil {
			resp = next
		}
	}
	return json.Marshal(struct {
		Request  *sdk.Request
		Response *sdk.Response
	}{req, resp})
}

func (r *relay) cleanup() {
	for _, h := range r.hooks {
		if err := h.cleanup(); err != nil {
			log.Printf("%s: Cleanup: %v", h.name, err)
		}
	}
}
