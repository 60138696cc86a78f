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
// being the host's own. Handlers are plain net/http functions, each named
// with the plugin file that exports it; the host serves one request
// through them and prints the response's headers:
//
//	{"plugins": [{"name": "upper", "path": "plugins/upper.so", "config": {}}],
//	 "handlers": [{"name": "Check", "path": "plugins/auth.so"}]}
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"plugin"
	"runtime"
	"slices"
	"strings"

	cloudhttp "example.com/cloudkit/transport/http"
	"example.com/mono/pluginapi"
	smithyhttp "example.com/smithykit/transport/http"
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
	transports := flag.Bool("transports", false, "print the names of the SDK transports linked in, and exit")
	flag.Parse()
	if *transports {
		// Like a real host, mono links packages named http of its SDKs
		// beside net/http.
		fmt.Println(cloudhttp.New().Name, smithyhttp.Name())
		return
	}
	log.SetFlags(0)
	log.SetPrefix("mono: ")

	data, err := os.ReadFile(*configFile)
	if err != nil {
		log.Fatal(err)
	}
	var cfg struct {
		Plugins  []pluginConfig
		Handlers []handlerConfig
	}
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
	if len(cfg.Handlers) == 0 {
		return
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", strings.NewReader(out))
	for _, hc := range cfg.Handlers {
		h, err := loadHandler(filepath.Dir(*configFile), hc)
		if err != nil {
			log.Fatalf("loading handler %s: %v", hc.Name, err)
		}
		log.Printf("Handler loaded successfully: %s", hc.Name)
		h(rec, req)
	}
	for _, k := range slices.Sorted(maps.Keys(rec.Header())) {
		fmt.Printf("%s: %s\n", k, rec.Header().Get(k))
	}
}

// A handlerConfig names one handler and the plugin file exporting it.
type handlerConfig struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// loadHandler looks a handler up, asserting it to the plain net/http
// function type: the host declares no type of its own for it.
func loadHandler(dir string, hc handlerConfig) (func(http.ResponseWriter, *http.Request), error) {
	p, err := open(dir, hc.Path)
	if err != nil {
		return nil, err
	}
	sym, err := p.Lookup(hc.Name)
	if err != nil {
		return nil, err
	}
	h, ok := sym.(func(http.ResponseWriter, *http.Request))
	if !ok {
		return nil, fmt.Errorf("%s is a %T, not a func(http.ResponseWriter, *http.Request)", hc.Name, sym)
	}
	return h, nil
}

// load opens a plugin, preferring the file built for this release and
// platform, and calls its constructor.
func load(dir string, pc pluginConfig) (pluginapi.Plugin, error) {
	p, err := open(dir, pc.Path)
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

// open opens a plugin file, preferring the one built for this release and
// platform.
func open(dir, path string) (*plugin.Plugin, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	versioned := fmt.Sprintf("%s_%s_%s_%s.so", strings.TrimSuffix(path, ".so"), version, runtime.GOOS, runtime.GOARCH)
	if _, err := os.Stat(versioned); err == nil {
		path = versioned
	}
	return plugin.Open(path)
}
