package remote

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRedirect follows a redirect to another https URL, and refuses one
// to plain http: content that would come without TLS is not fetched.
func TestRedirect(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "schemaVersion: 1\n")
	}))
	defer plain.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-http":
			http.Redirect(w, r, plain.URL+"/m.yaml", http.StatusFound)
		case "/to-https":
			http.Redirect(w, r, "/m.yaml", http.StatusFound)
		case "/m.yaml":
			fmt.Fprint(w, "schemaVersion: 1\n")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	o := Options{Limit: 1 << 20, Client: srv.Client()}

	data, r, err := Get(context.Background(), srv.URL+"/to-https", o)
	if err != nil {
		t.Fatalf("redirect to https: %v", err)
	}
	if string(data) != "schemaVersion: 1\n" || r.URL != srv.URL+"/to-https" {
		t.Errorf("redirect to https: got %q from %s", data, r.URL)
	}

	_, _, err = Get(context.Background(), srv.URL+"/to-http", o)
	if err == nil || !strings.Contains(err.Error(), "redirected to "+plain.URL+"/m.yaml: only https:// URLs are fetched") {
		t.Errorf("redirect to http: got error %v, want a refusal", err)
	}
	if o.Client.CheckRedirect != nil {
		t.Error("Get changed the caller's client")
	}
}
