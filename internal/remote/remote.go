// Package remote fetches a file a host publishes over HTTPS, such as its
// release manifest, the way a build tool must: with a deadline on the whole
// transfer, a limit on its size that is enforced while reading (not trusted
// from Content-Length), and, when the reference carries one, a digest the
// content must match (URL#sha256=HEX) before anything uses it.
package remote

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// DefaultTimeout bounds a whole fetch, from connecting to the last byte.
const DefaultTimeout = 30 * time.Second

// IsURL tells whether ref names a remote file rather than a local one: it
// has a scheme followed by "://". Local paths never do.
func IsURL(ref string) bool {
	i := strings.Index(ref, "://")
	return i > 0 && !strings.ContainsAny(ref[:i], "/\\.")
}

// A Ref is a parsed reference: an https URL and the digest its content
// must have, if it was given one.
type Ref struct {
	// URL is the URL without its fragment.
	URL string
	// SHA256 is the hex digest from #sha256=..., or "".
	SHA256 string
}

var digestRE = lazyre.New(`^sha256=([0-9a-f]{64})$`)

// ParseRef parses "https://host/path[#sha256=HEX]". Its errors show ref
// without a user or password it holds.
func ParseRef(ref string) (Ref, error) {
	u, err := url.Parse(ref)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return Ref{}, fmt.Errorf("%q is not a URL: %w", Redact(ref), err)
	}
	if u.Scheme != "https" {
		return Ref{}, fmt.Errorf("%q: only https:// URLs are fetched", Redact(ref))
	}
	if u.Host == "" || u.User != nil {
		return Ref{}, fmt.Errorf("%q: give an https URL with a host and no user or password", Redact(ref))
	}
	r := Ref{}
	if u.Fragment != "" {
		m := digestRE.FindStringSubmatch(strings.ToLower(u.Fragment))
		if m == nil {
			return Ref{}, fmt.Errorf("%q: the only fragment taken is #sha256= and 64 hex digits", Redact(ref))
		}
		r.SHA256 = m[1]
	}
	u.Fragment, u.RawFragment = "", ""
	r.URL = u.String()
	return r, nil
}

// Redact returns ref with the user and password it may hold, between its
// "://" and the "@" ending the host part, written as "…": they are a
// secret, never to be shown back, and a URL that does not parse is cut
// alike.
func Redact(ref string) string {
	i := strings.Index(ref, "://")
	if i < 0 {
		return ref
	}
	rest := ref[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return ref
	}
	return ref[:i+3] + "…@" + rest[at+1:]
}

// String is the reference as it can be given again, with the digest.
func (r Ref) String() string {
	if r.SHA256 == "" {
		return r.URL
	}
	return r.URL + "#sha256=" + r.SHA256
}

// Options bound a fetch.
type Options struct {
	// Timeout bounds the whole fetch; 0 means DefaultTimeout.
	Timeout time.Duration
	// Limit is the largest content taken, in bytes.
	Limit int64
	// Client makes the request; nil means a client with the system's
	// roots and proxy settings.
	Client *http.Client
}

// A DigestError is content that does not match the digest it was pinned to.
type DigestError struct {
	URL       string
	Got, Want string
}

func (e *DigestError) Error() string {
	return fmt.Sprintf("%s: content has sha256 %s, not the %s the reference pins: refusing it", e.URL, e.Got, e.Want)
}

// Get fetches ref and returns its content and the reference with the
// content's digest (which matches the given one, if any).
func Get(ctx context.Context, ref string, o Options) ([]byte, Ref, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return nil, Ref{}, err
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{}
	if o.Client != nil {
		c := *o.Client
		client = &c
	}
	client.CheckRedirect = httpsOnly(client.CheckRedirect)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, Ref{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, Ref{}, fetchError(ctx, r.URL, timeout, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, Ref{}, fmt.Errorf("fetching %s: %s", r.URL, resp.Status)
	}
	if resp.ContentLength > o.Limit {
		return nil, Ref{}, fmt.Errorf("fetching %s: it is %s, more than the %s such a file may be", r.URL, input.Size(resp.ContentLength), input.Size(o.Limit))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, o.Limit+1))
	if err != nil {
		return nil, Ref{}, fetchError(ctx, r.URL, timeout, err)
	}
	if int64(len(data)) > o.Limit {
		return nil, Ref{}, fmt.Errorf("fetching %s: it is more than the %s such a file may be", r.URL, input.Size(o.Limit))
	}
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	if r.SHA256 != "" && got != r.SHA256 {
		return nil, Ref{}, &DigestError{URL: r.URL, Got: got, Want: r.SHA256}
	}
	r.SHA256 = got
	return data, r, nil
}

// httpsOnly refuses a redirect to any URL but an https one, so that what
// is fetched comes over TLS however the server redirects, and otherwise
// defers to next (nil: net/http's own limit of 10 redirects).
func httpsOnly(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return fmt.Errorf("redirected to %s: only https:// URLs are fetched", req.URL.Redacted())
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// fetchError says a deadline was hit as such, rather than as the
// transport's wording of a cancelled request.
func fetchError(ctx context.Context, u string, timeout time.Duration, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("fetching %s: no complete answer within %s", u, timeout)
	}
	return fmt.Errorf("fetching %s: %w", u, err)
}
