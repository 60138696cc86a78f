// Package sdk is what plugins for the example relay compile against.
//
// The relay takes two kinds of plugin. A hook plugin exports the functions
// of the symbol set below under their names; the relay looks each up and
// calls the optional ones only when the plugin exports them. A handler
// plugin exports functions of type [Middleware] under names of its own,
// which the relay's configuration lists.
package sdk

import (
	"net/http"

	"example.com/ckit"
	"example.com/textkit"
)

// A Context carries what the relay knows about one request.
type Context struct {
	RequestID string
	Values    map[string]string
}

// A Request is a request passing through the relay.
type Request struct {
	Method string
	Path   string
	Header map[string]string
}

// SetHeader sets a header on r, creating the header map when needed.
func (r *Request) SetHeader(key, value string) {
	if r.Header == nil {
		r.Header = map[string]string{}
	}
	r.Header[textkit.CanonicalKey(key)] = value
}

// ID identifies the request by a checksum of its method and path.
func (r *Request) ID() uint32 {
	return ckit.Checksum(r.Method + " " + r.Path)
}

// A Response is the relay's answer to a request.
type Response struct {
	Status int
	Header map[string]string
}

// A ShortCircuit ends a request early with its own response.
type ShortCircuit struct {
	Status int
	Reason string
}

// The functions a hook plugin exports. Each type's name, without "Func",
// is the name the relay looks up.
//
//scaffold:symbols
type (
	// InitFunc is called once, with the plugin's configuration, before
	// any request.
	InitFunc = func(config any) error
	// GetNameFunc names the plugin in the relay's logs.
	GetNameFunc = func() string
	// CleanupFunc is called once when the relay stops.
	CleanupFunc = func() error
	// PreHookFunc runs before a request is relayed. It returns the request
	// to relay, or a short circuit that answers it at once.
	//
	//scaffold:optional
	PreHookFunc = func(ctx *Context, req *Request) (*Request, *ShortCircuit, error)
	// PostHookFunc runs on the response before it is returned.
	//
	//scaffold:optional
	PostHookFunc = func(ctx *Context, resp *Response) (*Response, error)
)

// Middleware is the type of a handler plugin's functions.
type Middleware = func(http.ResponseWriter, *http.Request)
