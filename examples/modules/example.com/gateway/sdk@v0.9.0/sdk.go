// Package sdk is what plugins for the example gateway compile against.
//
// A plugin exports a variable named Plugin of type [Plugin]; the gateway
// opens the plugin file, looks the variable up and calls its hook for every
// request.
package sdk

import (
	"context"

	"example.com/textkit"
)

// A Request is one request passing through the gateway.
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

// Plugin is the interface every gateway plugin implements.
type Plugin interface {
	// OnRequest is called for every request before it is routed. It
	// changes the request in place; an error rejects the request.
	OnRequest(ctx context.Context, req *Request) error
}
