package compat

import (
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// A pair is a generated host and a plugin sharing its packages, built
// once per test binary under its temporary directory.
type pair struct {
	once         sync.Once
	host, plugin string
	err          error
}

// benchDir holds the pairs and the scaffold binary; TestMain removes a
// temporary one.
var benchDir struct {
	once sync.Once
	path string
	keep bool
	err  error
}

var (
	gatewayPair = &pair{}
	bigPair     = &pair{}
	// scaffoldBin is scaffold built as make install and the README build
	// it, without cgo; scaffoldCgo as a plain go install would where a C
	// compiler is found.
	scaffoldBin = &binary{name: "scaffold", cgo: "0"}
	scaffoldCgo = &binary{name: "scaffold-cgo", cgo: "1"}
)

// A binary is the scaffold command, built once per test binary.
type binary struct {
	name, cgo string
	once      sync.Once
	path      string
	err       error
}

// BigScale is a host of about 500 MB, as some real ones are, with the
// gateway's packages.
var BigScale = testbed.Scale{Packages: testbed.GatewayScale.Packages, Size: 500 << 20}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir.path != "" && !benchDir.keep {
		os.RemoveAll(benchDir.path)
	}
	os.Exit(code)
}

// dir is the benchmark's directory: SCAFFOLD_BENCH_DIR, kept so that a
// later run reuses the files built there, or a temporary one.
func dir(b *testing.B) string {
	benchDir.once.Do(func() {
		if d := os.Getenv("SCAFFOLD_BENCH_DIR"); d != "" {
			benchDir.err = os.MkdirAll(d, 0o755)
			benchDir.keep, benchDir.path = true, d
			return
		}
		benchDir.path, benchDir.err = os.MkdirTemp("", "compat-bench-")
	})
	if benchDir.err != nil {
		b.Fatal(benchDir.err)
	}
	return benchDir.path
}

func (p *pair) get(b *testing.B, name string, s testbed.Scale) (host, plugin string) {
	root := dir(b)
	p.once.Do(func() { p.host, p.plugin, p.err = testbed.Large(filepath.Join(root, name), s) })
	if p.err != nil {
		b.Fatal(p.err)
	}
	return p.host, p.plugin
}

// build builds the scaffold command once, with CGO_ENABLED set to the
// binary's cgo.
func (c *binary) build(b *testing.B) string {
	root := dir(b)
	c.once.Do(func() {
		c.path = filepath.Join(root, c.name)
		cmd := exec.Command("go", "build", "-o", c.path, "github.com/scaffold-dev/scaffold/cmd/scaffold")
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+c.cgo)
		if out, err := cmd.CombinedOutput(); err != nil {
			c.err = fmt.Errorf("go build scaffold: %v\n%s", err, out)
		}
	})
	if c.err != nil {
		b.Fatal(c.err)
	}
	return c.path
}

// BenchmarkCheck measures scaffold check --host on a gateway-sized host
// (100 MB, some 285,000 dynamic symbols of which about a thousand are
// package hashes) and on a 500 MB one, each with a plugin sharing some
// 960 packages with it, side by side with go version -m on the same two
// files, which reads their build info and no more: the yardstick a person
// comparing by eye starts from. Each iteration times, one after the
// other:
//
//   - check: the work of scaffold check --host in this process: reading
//     the plugin, the host's hashes of the plugin's packages, comparing;
//   - cmd: the scaffold check --host command, start to end, and its peak
//     resident memory, built without cgo as make install and the README's
//     go install line build it;
//   - cmd-cgo: the same command built with cgo, as a plain go install
//     builds it where a C compiler is found: dynamically linked, it starts
//     1 to 2 ms later;
//   - go-version-m: go version -m HOST PLUGIN, start to end, and its peak
//     resident memory;
//   - buildinfo: debug/buildinfo reading both files in this process, what
//     go version -m does once started.
//
// Medians are reported, with the command's time as a multiple of go
// version -m's. Peak memory above 100 MB fails the benchmark.
func BenchmarkCheck(b *testing.B) {
	for _, c := range []struct {
		name  string
		pair  *pair
		scale testbed.Scale
	}{
		{"gateway-100MB", gatewayPair, testbed.GatewayScale},
		{"host-500MB", bigPair, BigScale},
	} {
		b.Run(c.name, func(b *testing.B) {
			hostFile, pluginFile := c.pair.get(b, c.name, c.scale)
			cmd, cgo := scaffoldBin.build(b), scaffoldCgo.build(b)
			var check, run, runCgo, gov, bi []time.Duration
			runRSS := peakRSS(b, cmd, "check", "--host", hostFile, pluginFile)
			govRSS := peakRSS(b, "go", "version", "-m", hostFile, pluginFile)
			for b.Loop() {
				t := time.Now()
				r := checkHost(b, hostFile, pluginFile)
				check = append(check, time.Since(t))
				if !r.Compatible || r.SharedPackages < 900 {
					b.Fatalf("compatible %v, %d shared packages: the pair is not built alike", r.Compatible, r.SharedPackages)
				}
				run = append(run, timeCommand(b, cmd, "check", "--host", hostFile, pluginFile))
				runCgo = append(runCgo, timeCommand(b, cgo, "check", "--host", hostFile, pluginFile))
				gov = append(gov, timeCommand(b, "go", "version", "-m", hostFile, pluginFile))
				t = time.Now()
				for _, f := range []string{hostFile, pluginFile} {
					if _, err := buildinfo.ReadFile(f); err != nil {
						b.Fatal(err)
					}
				}
				bi = append(bi, time.Since(t))
			}
			ms := func(ds []time.Duration) float64 { return float64(median(ds)) / float64(time.Millisecond) }
			b.ReportMetric(ms(check), "check-ms")
			b.ReportMetric(ms(run), "cmd-ms")
			b.ReportMetric(ms(runCgo), "cmd-cgo-ms")
			b.ReportMetric(ms(gov), "go-version-m-ms")
			b.ReportMetric(ms(bi), "buildinfo-ms")
			b.ReportMetric(ms(run)/ms(gov), "cmd/go-version-m")
			if runRSS > 0 {
				b.ReportMetric(float64(runRSS)/(1<<20), "cmd-maxrss-MB")
				b.ReportMetric(float64(govRSS)/(1<<20), "go-version-m-maxrss-MB")
			}
			reportScale(b, hostFile, "host")
			if runRSS > 100<<20 {
				b.Errorf("scaffold check --host peaked at %d MB resident, want under 100 MB", runRSS>>20)
			}
		})
	}
}

// checkHost does what scaffold check --host does with one plugin.
func checkHost(b *testing.B, hostFile, pluginFile string) *Report {
	p, err := artifact.OpenHashes(pluginFile)
	if err != nil {
		b.Fatal(err)
	}
	h, err := artifact.OpenHost(hostFile, slices.Sorted(maps.Keys(p.PkgHashes)))
	if err != nil {
		b.Fatal(err)
	}
	return Check(Target{Host: h}, p)
}

// timeCommand runs a command to its end and returns how long it took.
func timeCommand(b *testing.B, name string, args ...string) time.Duration {
	t := time.Now()
	out, err := exec.Command(name, args...).CombinedOutput()
	d := time.Since(t)
	if err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out)
	}
	return d
}

// peakRSS returns a command's peak resident memory in bytes, the most of
// three runs, as GNU time reports it; 0 when GNU time is missing. The
// resource usage os/exec gives is no use here: a child started with
// vfork, as Go starts them, counts its parent's memory as its own.
func peakRSS(b *testing.B, name string, args ...string) int64 {
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

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// reportScale reports a file's size and number of dynamic symbols, so
// that a result says what it was measured on.
func reportScale(b *testing.B, name, what string) {
	fi, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	ef, err := elf.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer ef.Close()
	syms, err := ef.DynamicSymbols()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), what+"-MB")
	b.ReportMetric(float64(len(syms)), what+"-dynsyms")
}
