// Package http is the HTTP transport of the example service framework:
// another package named http a real host links beside net/http.
package http

// A Request is the framework's request, which net/http knows nothing of.
type Request struct {
	Method, URL string
}

// Name names the transport.
func Name() string { return "smithykit" }
