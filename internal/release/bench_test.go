package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaffold-dev/scaffold/internal/testbed"
)

var bench = &testbed.Bench{Prefix: "manifest-bench"}

// BenchmarkManifest measures scaffold manifest on a gateway-sized host
// (100 MB, about 900 packages of its own module besides the standard
// library's) whose loader is its main package, which imports every one of
// them: the most a loader's reading can take, as every package it imports
// is type-checked from source. It runs side by side with go version -m on
// the same binary, which reads its build info and no more. Each iteration
// times, one after the other:
//
//   - cold: scaffold manifest with an empty build cache (GOCACHE), as on
//     a machine that has never built the host; the module cache is full;
//   - warm: the same command with the build cache of earlier runs, and
//     its peak resident memory;
//   - go-version-m: go version -m HOST, and its peak resident memory.
//
// Medians are reported. Nothing in the command compiles, so cold and
// warm differ only by what the file system caches.
func BenchmarkManifest(b *testing.B) {
	host, _ := bench.Large(b, "gateway-100MB", testbed.GatewayScale)
	src := filepath.Join(filepath.Dir(host), "src")
	cmd := bench.Scaffold(b, false)
	out := filepath.Join(bench.Dir(b), "manifest.yaml")
	// Its symbol names no package of a module: its SDK is its own module,
	// whose repository and revision a binary built without VCS does not
	// record.
	args := []string{"manifest", "--from-binary", host, "--host-source", src, "--host-version", "v1.0.0",
		"--host-repository", "https://example.com/large.git", "--host-revision", strings.Repeat("0", 40), "--quiet", "-o", out}
	env := []string{"GOFLAGS=-mod=mod", "GOPROXY=off"}
	warmRSS := testbed.PeakRSS(b, env, cmd, args...)
	govRSS := testbed.PeakRSS(b, nil, "go", "version", "-m", host)
	var cold, warm, gov []time.Duration
	for b.Loop() {
		cache, err := os.MkdirTemp("", "manifest-bench-gocache-")
		if err != nil {
			b.Fatal(err)
		}
		cold = append(cold, testbed.TimeCommand(b, append(env, "GOCACHE="+cache), cmd, args...))
		os.RemoveAll(cache)
		warm = append(warm, testbed.TimeCommand(b, env, cmd, args...))
		gov = append(gov, testbed.TimeCommand(b, nil, "go", "version", "-m", host))
	}
	ms := func(ds []time.Duration) float64 { return float64(testbed.Median(ds)) / float64(time.Millisecond) }
	b.ReportMetric(ms(cold), "cold-ms")
	b.ReportMetric(ms(warm), "warm-ms")
	b.ReportMetric(ms(gov), "go-version-m-ms")
	if warmRSS > 0 {
		b.ReportMetric(float64(warmRSS)/(1<<20), "maxrss-MB")
		b.ReportMetric(float64(govRSS)/(1<<20), "go-version-m-maxrss-MB")
	}
	if fi, err := os.Stat(host); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "host-MB")
	}
}
