// Package http is the HTTP transport of the example cloud SDK: one of the
// several packages named http a real host links beside net/http.
package http

import nethttp "net/http"

// A Transport sends the SDK's requests.
type Transport struct {
	Client *nethttp.Client
	Name   string
}

// New returns the SDK's default transport.
func New() *Transport { return &Transport{Client: nethttp.DefaultClient, Name: "cloudkit"} }
