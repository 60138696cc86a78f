// Package sdk holds the types plugins for the example sieve exchange with
// it. It declares no type for the functions a plugin exports: the sieve's
// loader asserts each looked-up symbol to a function type written out in
// place, as many real hosts do. Its packages log, errors, httptest and
// plugin are named like standard packages, as some real SDKs' are, and
// version like the variable a plugin's build stamps.
package sdk

// A Context carries what the sieve knows about one request.
type Context struct {
	RequestID string
	Values    map[string]string
}

// A Request is a request the sieve filters.
type Request struct {
	Method string
	Path   string
	Header map[string]string
}

// A Verdict is a filter's answer: let the request through, or stop it
// with a status and a reason.
type Verdict struct {
	Allow  bool
	Status int
	Reason string
}
