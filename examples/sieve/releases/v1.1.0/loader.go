package main

import (
	"context"
	"fmt"
	"net/http"
	gohttptest "net/http/httptest"
	goplugin "plugin"

	"example.com/sieve/sdk"
	"example.com/sieve/sdk/errors"
	"example.com/sieve/sdk/httptest"
	"example.com/sieve/sdk/log"
	"example.com/sieve/sdk/plugin"
	"example.com/sieve/sdk/version"
)

// release is the sieve's release, which it tells plugins.
var release = version.Version{Major: 1, Minor: 1, Patch: 0}

// A filter is one loaded plugin; the functions it need not export are nil
// when it does not.
type filter struct {
	getName func() string
	cleanup func() error
	filter  func(ctx *sdk.Context, req *sdk.Request) (*sdk.Verdict, error)
	serve   func(ctx context.Context, w http.ResponseWriter, r *http.Request, l *log.Logger, reject func(*errors.Rejection)) error
}

// load opens a plugin, looks up its functions and initialises it. GetName
// and Filter are required; Init, Probe, Serve and Cleanup are called when
// the plugin exports them. A plugin whose Probe rejects the sieve's probe
// is not loaded.
func load(path string, config map[string]any, plugins int) (*filter, error) {
	p, err := goplugin.Open(path)
	if err != nil {
		return nil, err
	}
	f := &filter{}

	sym, err := p.Lookup("GetName")
	if err != nil {
		return nil, err
	}
	getName, ok := sym.(func() string)
	if !ok {
		return nil, fmt.Errorf("GetName is a %T, not a func() string", sym)
	}
	f.getName = getName

	sym, err = p.Lookup("Filter")
	if err != nil {
		return nil, err
	}
	switch fn := sym.(type) {
	case func(ctx *sdk.Context, req *sdk.Request) (*sdk.Verdict, error):
		f.filter = fn
	default:
		return nil, fmt.Errorf("Filter is a %T, which the sieve does not take", sym)
	}

	if sym, err := p.Lookup("Init"); err == nil {
		initFn, ok := sym.(func(config map[string]any) error)
		if !ok {
			return nil, fmt.Errorf("Init is a %T, not a func(map[string]any) error", sym)
		}
		if err := initFn(config); err != nil {
			return nil, fmt.Errorf("Init: %w", err)
		}
	}
	if sym, err := p.Lookup("Probe"); err == nil {
		probe, ok := sym.(func(info plugin.Info, v version.Version, probe *httptest.Probe) *errors.Rejection)
		if !ok {
			return nil, fmt.Errorf("Probe is a %T, not a func(plugin.Info, version.Version, *httptest.Probe) *errors.Rejection", sym)
		}
		if r := probe(plugin.Info{Host: "sieve", Plugins: plugins}, release, &httptest.Probe{Method: http.MethodGet, Path: "/"}); r != nil {
			return nil, fmt.Errorf("Probe: %w", r)
		}
	}
	if sym, err := p.Lookup("Serve"); err == nil {
		if f.serve, ok = sym.(func(ctx context.Context, w http.ResponseWriter, r *http.Request, l *log.Logger, reject func(*errors.Rejection)) error); !ok {
			return nil, fmt.Errorf("Serve is a %T, not the sieve's Serve", sym)
		}
	}
	if sym, err := p.Lookup("Cleanup"); err == nil {
		if f.cleanup, ok = sym.(func() error); !ok {
			return nil, fmt.Errorf("Cleanup is a %T, not a func() error", sym)
		}
	}
	return f, nil
}

// answer lets f serve req, in place of the sieve's upstream, and returns
// its answer; a rejection replaces the verdict.
func (f *filter) answer(ctx *sdk.Context, req *sdk.Request, verdict **sdk.Verdict) (*response, error) {
	rec := gohttptest.NewRecorder()
	l := &log.Logger{RequestID: ctx.RequestID}
	reject := func(r *errors.Rejection) {
		*verdict = &sdk.Verdict{Status: r.Status, Reason: r.Reason}
	}
	if err := f.serve(context.Background(), rec, gohttptest.NewRequest(req.Method, req.Path, nil), l, reject); err != nil {
		return nil, err
	}
	resp := &response{Status: rec.Code, Header: map[string]string{}, Body: rec.Body.String(), Log: l.Lines()}
	for k := range rec.Header() {
		resp.Header[k] = rec.Header().Get(k)
	}
	return resp, nil
}
