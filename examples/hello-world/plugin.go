// Command hello-world is a plugin for gateway v1.0.0, built with
// -buildmode=plugin. gateway opens the built file and looks up the variable
// Plugin, of type sdk.Plugin.
package main

import (
	"context"
	"log"

	"example.com/gateway/sdk"
)

// pluginName is the name this plugin was generated with.
const pluginName = "hello-world"

// version and buildTime are stamped by the Makefile with -X.
var (
	version   = "dev"
	buildTime = "unknown"
)

// init logs, once, which build the host loaded: the host's log settings
// apply, as plugins share the standard library with their host.
func init() {
	log.Printf("%s %s (built %s) loaded", pluginName, version, buildTime)
}

// Plugin is the symbol gateway looks up. Lookup returns a pointer
// to it, which the host asserts to *sdk.Plugin, so its declared type must be
// the interface itself.
var Plugin sdk.Plugin = &helloWorld{}

// This declaration fails the build, not plugin.Open, when the code drifts
// from the type gateway asserts.
var _ sdk.Plugin = (*helloWorld)(nil)

// helloWorld implements sdk.Plugin. Write the plugin's behaviour in its methods.
type helloWorld struct{}

// Name returns the plugin's name for the gateway's logs.
func (p *helloWorld) Name() string {
	return pluginName
}

// OnRequest is called for every request before it is routed. It
// returns the request to pass on, changed or not; an error rejects
// the request.
func (p *helloWorld) OnRequest(ctx context.Context, req *sdk.Request) (*sdk.Request, error) {
	if err := ctx.Err(); err != nil {
		return req, err
	}
	req.SetHeader("X-Hello", "hello from "+pluginName)
	return req, nil
}
