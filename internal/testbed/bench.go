package testbed

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A Bench holds what the benchmarks of one test binary build once: the
// generated hosts and the scaffold command. They are kept in
// SCAFFOLD_BENCH_DIR, for the next run to reuse, or else in a temporary
// directory that [Bench.Close] removes.
type Bench struct {
	// Prefix names the temporary directory.
	Prefix string

	once sync.Once
	path string
	keep bool
	err  error

	bins  onceMap[string]
	pairs onceMap[[2]string]
}

// Dir is the bench's directory.
func (bb *Bench) Dir(b testing.TB) string {
	bb.once.Do(func() {
		if d := os.Getenv("SCAFFOLD_BENCH_DIR"); d != "" {
			bb.err = os.MkdirAll(d, 0o755)
			bb.keep, bb.path = true, d
			return
		}
		bb.path, bb.err = os.MkdirTemp("", bb.Prefix+"-")
	})
	if bb.err != nil {
		b.Fatal(bb.err)
	}
	return bb.path
}

// Close removes a temporary directory.
func (bb *Bench) Close() {
	if bb.path != "" && !bb.keep {
		os.RemoveAll(bb.path)
	}
}

// Scaffold returns the scaffold command, built once: without cgo, as
// make install and the README's go install line build it, or with it, as
// a plain go install does where a C compiler is found.
func (bb *Bench) Scaffold(b testing.TB, cgo bool) string {
	name, flag := "scaffold", "0"
	if cgo {
		name, flag = "scaffold-cgo", "1"
	}
	path, err := bb.bins.get(name, func() (string, error) {
		path := filepath.Join(bb.Dir(b), name)
		cmd := exec.Command("go", "build", "-o", path, "github.com/scaffold-dev/scaffold/cmd/scaffold")
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+flag)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build scaffold: %v\n%s", err, out)
		}
		return path, nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// Large returns a generated host and plugin of scale s (see [Large]),
// built once under the name.
func (bb *Bench) Large(b testing.TB, name string, s Scale) (host, plugin string) {
	p, err := bb.pairs.get(name, func() ([2]string, error) {
		h, p, err := Large(filepath.Join(bb.Dir(b), name), s)
		return [2]string{h, p}, err
	})
	if err != nil {
		b.Fatal(err)
	}
	return p[0], p[1]
}

// TimeCommand runs a command to its end, with env added to the process's
// environment, and returns how long it took.
func TimeCommand(b testing.TB, env []string, name string, args ...string) time.Duration {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	t := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(t)
	if err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out)
	}
	return d
}

// PeakRSS returns a command's peak resident memory in bytes, the most of
// three runs, as GNU time reports it; 0 when GNU time is missing. The
// resource usage os/exec gives is no use here: a child started with
// vfork, as Go starts them, counts its parent's memory as its own.
func PeakRSS(b testing.TB, env []string, name string, args ...string) int64 {
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatal("/usr/bin/time not found, and CI=true: .ci/run must install time")
		}
		b.Log("/usr/bin/time not found: install GNU time to measure peak memory")
		return 0
	}
	var peak int64
	for range 3 {
		cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", name}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("%s: %v\n%s", name, err, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
		if err != nil {
			b.Fatalf("GNU time says %q", stderr.String())
		}
		peak = max(peak, kb<<10)
	}
	return peak
}

// Median returns the median of ds.
func Median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
