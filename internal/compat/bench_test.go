package compat

import (
	"debug/buildinfo"
	"debug/elf"
	"maps"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// bench holds the generated hosts and the scaffold commands.
var bench = &testbed.Bench{Prefix: "compat-bench"}

// BigScale is a host of about 500 MB, as some real ones are, with the
// gateway's packages.
var BigScale = testbed.Scale{Packages: testbed.GatewayScale.Packages, Size: 500 << 20}

func TestMain(m *testing.M) {
	code := m.Run()
	bench.Close()
	os.Exit(code)
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
		scale testbed.Scale
	}{
		{"gateway-100MB", testbed.GatewayScale},
		{"host-500MB", BigScale},
	} {
		b.Run(c.name, func(b *testing.B) {
			hostFile, pluginFile := bench.Large(b, c.name, c.scale)
			cmd, cgo := bench.Scaffold(b, false), bench.Scaffold(b, true)
			var check, run, runCgo, gov, bi []time.Duration
			runRSS := testbed.PeakRSS(b, nil, cmd, "check", "--host", hostFile, pluginFile)
			govRSS := testbed.PeakRSS(b, nil, "go", "version", "-m", hostFile, pluginFile)
			for b.Loop() {
				t := time.Now()
				r := checkHost(b, hostFile, pluginFile)
				check = append(check, time.Since(t))
				if !r.Compatible || r.SharedPackages < 900 {
					b.Fatalf("compatible %v, %d shared packages: the pair is not built alike", r.Compatible, r.SharedPackages)
				}
				run = append(run, testbed.TimeCommand(b, nil, cmd, "check", "--host", hostFile, pluginFile))
				runCgo = append(runCgo, testbed.TimeCommand(b, nil, cgo, "check", "--host", hostFile, pluginFile))
				gov = append(gov, testbed.TimeCommand(b, nil, "go", "version", "-m", hostFile, pluginFile))
				t = time.Now()
				for _, f := range []string{hostFile, pluginFile} {
					if _, err := buildinfo.ReadFile(f); err != nil {
						b.Fatal(err)
					}
				}
				bi = append(bi, time.Since(t))
			}
			ms := func(ds []time.Duration) float64 { return float64(testbed.Median(ds)) / float64(time.Millisecond) }
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
