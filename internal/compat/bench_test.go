package compat

import (
	"debug/elf"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/testbed"
)

// large is a gateway-sized host and a plugin sharing its packages, built
// once per test binary under its temporary directory.
var large struct {
	once         sync.Once
	dir          string
	host, plugin string
	err          error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if large.dir != "" {
		os.RemoveAll(large.dir)
	}
	os.Exit(code)
}

func largePair(b *testing.B) (host, plugin string) {
	large.once.Do(func() {
		if large.dir, large.err = os.MkdirTemp("", "compat-bench-"); large.err == nil {
			large.host, large.plugin, large.err = testbed.Large(large.dir, testbed.GatewayScale)
		}
	})
	if large.err != nil {
		b.Fatal(large.err)
	}
	return large.host, large.plugin
}

// BenchmarkCheck measures scaffold check's work on a gateway-sized host
// and a plugin sharing about a thousand packages with it: reading both
// files and comparing them.
func BenchmarkCheck(b *testing.B) {
	hostFile, pluginFile := largePair(b)
	b.Run("files", func(b *testing.B) {
		var r *Report
		for b.Loop() {
			h, err := artifact.Open(hostFile)
			if err != nil {
				b.Fatal(err)
			}
			p, err := artifact.Open(pluginFile)
			if err != nil {
				b.Fatal(err)
			}
			r = Check(Target{Host: h}, p)
			if !r.Compatible || r.SharedPackages < 900 {
				b.Fatalf("compatible %v, %d shared packages: the pair is not built alike", r.Compatible, r.SharedPackages)
			}
		}
		b.ReportMetric(float64(r.SharedPackages), "shared-pkgs")
		reportScale(b, hostFile, "host")
	})
	// go version -m reads the same build info (and no more) from the two
	// files: the yardstick a person comparing by eye starts from.
	b.Run("go-version-m", func(b *testing.B) {
		for b.Loop() {
			if out, err := exec.Command("go", "version", "-m", hostFile, pluginFile).CombinedOutput(); err != nil {
				b.Fatalf("go version -m: %v\n%s", err, out)
			}
		}
	})
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
