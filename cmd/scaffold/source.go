package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/remote"
)

// readManifest reads a release manifest from a file or, for an https://
// reference (optionally pinned: URL#sha256=HEX), from where the host
// publishes it. source is the reference with the content's digest, to
// record in scaffold.lock; it is empty for a file.
//
// SCAFFOLD_FETCH_TIMEOUT (a Go duration such as 10s) bounds the fetch; it
// is 30s by default.
func readManifest(ctx context.Context, ref string) (m *manifest.Manifest, source string, err error) {
	if !remote.IsURL(ref) {
		// A lock holds a manifest, but as JSON inside the lock: read as a
		// manifest it fails at a line that says nothing of the mix-up.
		if isLockFile(ref) {
			return nil, "", fmt.Errorf("--manifest %s: a generated repository's lock, not a release manifest: give the manifest the host publishes for the release", ref)
		}
		m, err := manifest.Load(ref)
		return m, "", err
	}
	o := remote.Options{Limit: input.ManifestLimit}
	if s := os.Getenv("SCAFFOLD_FETCH_TIMEOUT"); s != "" {
		if o.Timeout, err = time.ParseDuration(s); err != nil || o.Timeout <= 0 {
			return nil, "", fmt.Errorf("SCAFFOLD_FETCH_TIMEOUT=%s: not a positive duration such as 10s", s)
		}
	}
	data, r, err := remote.Get(ctx, ref, o)
	if err != nil {
		return nil, "", fmt.Errorf("reading manifest: %w", err)
	}
	// The URL's path tells JSON from YAML, as a file name does.
	name := r.URL
	if u, err := url.Parse(r.URL); err == nil {
		name = path.Base(u.Path)
	}
	m, err = manifest.Parse(name, data)
	if err != nil {
		return nil, "", err
	}
	return m, r.String(), nil
}

// isLockFile tells a --manifest that names a generated repository's lock
// (scaffold.lock, or any *.lock) rather than a release manifest.
func isLockFile(ref string) bool {
	return filepath.Base(ref) == lock.FileName || filepath.Ext(ref) == ".lock"
}
