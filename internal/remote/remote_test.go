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

// TestHostileRefs gives references holding a user and password, among
// other faults: each is refused, and the password is never in the error.
func TestHostileRefs(t *testing.T) {
	for _, ref := range []string{
		"https://user:s3cr3t@example.com/m.yaml",
		"https://user:s3cr3t@example.com",
		"https://:s3cr3t@example.com/m.yaml",
		"https://s3cr3t@example.com/m.yaml",
		"http://user:s3cr3t@example.com/m.yaml",
		"ftp://user:s3cr3t@example.com/m.yaml",
		"https://user:s3cr3t@exa mple.com/m.yaml",
		"https://user:s3cr3t@example.com:99999999/m.yaml",
		"https://user:s3cr3t@example.com/m.yaml#sha256=00",
		"https://user:s3cr3t@[::1/m.yaml",
		"https://us@er:s3cr3t@example.com/m.yaml",
		"https://user:s3cr3t%zz@example.com/m.yaml",
	} {
		_, err := ParseRef(ref)
		if err == nil {
			t.Errorf("ParseRef(%q) = nil, want an error", ref)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("ParseRef(%q): %v: the error shows the password", ref, err)
		}
	}
	for ref, want := range map[string]string{
		"https://user:pw@example.com/m.yaml": "https://…@example.com/m.yaml",
		"https://example.com/a@b":            "https://example.com/a@b",
		"https://a@b@example.com":            "https://…@example.com",
		"no scheme":                          "no scheme",
	} {
		if got := Redact(ref); got != want {
			t.Errorf("Redact(%q) = %q, want %q", ref, got, want)
		}
	}
}
