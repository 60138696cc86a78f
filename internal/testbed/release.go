package testbed

import (
	"os"
	"path/filepath"
)

// HostRelease returns the binary of an earlier release of the example
// gateway, kept in examples/gateway/releases/VERSION with its own source,
// go.mod and Makefile (v0.9.0: an older Go patch release fetched through
// GOTOOLCHAIN, no build tags, an SDK whose interface has one method fewer
// and another signature). Plugins are upgraded from it to the current
// release. It is built for glibc on first use; later calls, from any
// goroutine, share the build.
func (w *World) HostRelease(version string) (string, error) {
	key := "release " + version
	w.mu.Lock()
	h, ok := w.hosts[key]
	if !ok {
		h = &hostBuild{}
		w.hosts[key] = h
	}
	w.mu.Unlock()
	h.once.Do(func() {
		out := filepath.Join(w.Root, "hosts", "releases", version, "gateway")
		if h.err = os.MkdirAll(filepath.Dir(out), 0o755); h.err != nil {
			return
		}
		h.err = w.Make(filepath.Join(w.Examples, "gateway", "releases", version), "build", "OUT="+out)
		h.path = out
	})
	return h.path, h.err
}
