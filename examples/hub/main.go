// Command hub is a small webhook hub that takes Go plugins. It is an
// example host of scaffold, for a contract of an info function returning a
// struct and a constructor returning an interface, read from its own
// loader (loader.go), and for a host that loads its whole plugin folder.
//
// Usage:
//
//	hub -env hub.env [-get PATH]...
//
// The env file sets the plugin folder, relative to the file:
//
//	PLUGIN_DIR=plugins
//
// The hub opens every file in the folder, as some real hosts do: a second
// copy of a plugin under another name is refused by the Go runtime (plugin
// already loaded), and the hub stops. Like real hosts, it lists a plugin
// only when its info names it (module path and name) and its constructor
// returns an instance: others load without an error and show nothing.
//
// GET /plugin lists the plugins as JSON; a request to /webhook goes to
// every enabled plugin, and the hub answers with each one's response. The
// hub requests each -get path once, in order, prints the response, then
// disables its plugins and exits.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"example.com/hub/sdk"
)

// paths are the -get flags.
type paths []string

func (p *paths) String() string     { return strings.Join(*p, " ") }
func (p *paths) Set(s string) error { *p = append(*p, s); return nil }

func main() {
	envFile := flag.String("env", "hub.env", "environment `file` setting PLUGIN_DIR")
	var gets paths
	flag.Var(&gets, "get", "a `path` to request once the plugins are loaded (repeatable)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("hub: ")

	dir, err := pluginDir(*envFile)
	if err != nil {
		log.Fatal(err)
	}
	plugins, err := loadAll(dir, sdk.UserContext{Site: "example"})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /plugin", func(w http.ResponseWriter, r *http.Request) { list(w, plugins) })
	mux.HandleFunc("/webhook", func(w http.ResponseWriter, r *http.Request) { webhook(w, r, plugins) })
	for _, p := range gets {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		fmt.Printf("GET %s: %d %s\n", p, rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	for _, p := range plugins {
		if p.enabled {
			if err := p.instance.Disable(); err != nil {
				log.Printf("disabling %s: %v", p.info.Name, err)
			}
		}
	}
}

// pluginDir reads PLUGIN_DIR from the env file.
func pluginDir(envFile string) (string, error) {
	f, err := os.Open(envFile)
	if err != nil {
		return "", err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "PLUGIN_DIR="); ok {
			if !filepath.IsAbs(v) {
				v = filepath.Join(filepath.Dir(envFile), v)
			}
			return v, nil
		}
	}
	if err := s.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("%s sets no PLUGIN_DIR", envFile)
}

// loadAll opens every file in dir, and lists and enables each plugin
// whose info names it and whose constructor returns an instance.
func loadAll(dir string, uc sdk.UserContext) ([]*loaded, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*loaded
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		p, err := open(path, uc)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", e.Name(), err)
		}
		if p.info.ModulePath == "" || p.info.Name == "" || p.instance == nil {
			continue // nothing to list, as on real hosts: no error either
		}
		if err := p.instance.Enable(); err != nil {
			log.Printf("plugin %s not enabled: %v", p.info.Name, err)
		} else {
			p.enabled = true
		}
		log.Printf("loaded plugin %s (%s) from %s", p.info.Name, p.info.ModulePath, e.Name())
		out = append(out, p)
	}
	return out, nil
}

// list writes the plugins as JSON.
func list(w http.ResponseWriter, plugins []*loaded) {
	type entry struct {
		Name    string `json:"name"`
		Module  string `json:"module"`
		Enabled bool   `json:"enabled"`
	}
	entries := []entry{}
	for _, p := range plugins {
		entries = append(entries, entry{p.info.Name, p.info.ModulePath, p.enabled})
	}
	_ = json.NewEncoder(w).Encode(entries)
}

// webhook passes the request to every enabled plugin and answers with
// each one's response.
func webhook(w http.ResponseWriter, r *http.Request, plugins []*loaded) {
	type answer struct {
		Plugin string      `json:"plugin"`
		Status int         `json:"status"`
		Header http.Header `json:"header"`
		Body   string      `json:"body"`
	}
	answers := []answer{}
	for _, p := range plugins {
		if !p.enabled {
			continue
		}
		rec := httptest.NewRecorder()
		p.instance.ServeHTTP(rec, r.Clone(r.Context()))
		// The plugins' own headers, not the ones the recorder adds.
		h := rec.Header().Clone()
		for k := range h {
			if !strings.HasPrefix(k, "X-") {
				delete(h, k)
			}
		}
		answers = append(answers, answer{p.info.Name, rec.Code, h, rec.Body.String()})
	}
	_ = json.NewEncoder(w).Encode(answers)
}
