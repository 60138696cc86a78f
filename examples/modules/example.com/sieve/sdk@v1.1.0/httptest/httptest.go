// Package httptest holds the sieve's probe: a request it asks each plugin
// about once, before it serves any.
package httptest

import (
	"net/http"
	"net/http/httptest"
)

// A Probe is a request the sieve tries a plugin out with.
type Probe struct {
	Method string
	Path   string
}

// Request returns the probe as an HTTP request: GET / when empty.
func (p *Probe) Request() *http.Request {
	method, path := p.Method, p.Path
	if method == "" {
		method = http.MethodGet
	}
	if path == "" {
		path = "/"
	}
	return httptest.NewRequest(method, path, nil)
}
