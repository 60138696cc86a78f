package manifest

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestHostileSettings tries values of the proxy and compiler settings a
// manifest may not give (more than README's table, which TestReadmeTrust
// tries): each is refused with its field. Values a real host's manifest
// gives pass.
func TestHostileSettings(t *testing.T) {
	for _, tt := range []struct {
		field, value string
		ok           bool
	}{
		// Proxies: https, off and direct only.
		{"proxy.goproxy", "https://proxy.golang.org,direct", true},
		{"proxy.goproxy", "https://a.example.com|https://b.example.com/go", true},
		{"proxy.goproxy", "off", true},
		{"proxy.goproxy", "direct", true},
		{"proxy.goproxy", "https://proxy.example.com:8443/go", true},
		{"proxy.goproxy", "file:///", false},
		{"proxy.goproxy", "FILE:///srv", false},
		{"proxy.goproxy", "file:relative", false},
		{"proxy.goproxy", "direct,file:///srv/goproxy", false},
		{"proxy.goproxy", "off|file:///srv/goproxy", false},
		{"proxy.goproxy", "https://", false},
		{"proxy.goproxy", "https:///path", false},
		{"proxy.goproxy", "https://proxy.example.com#frag", false},
		{"proxy.goproxy", "https://user@proxy.example.com", false},
		{"proxy.goproxy", "ssh://proxy.example.com", false},
		{"proxy.goproxy", "git+https://proxy.example.com", false},
		{"proxy.goproxy", "proxy.example.com", false},
		{"proxy.goproxy", "/srv/goproxy", false},
		{"proxy.goproxy", "noproxy", false},
		{"proxy.goproxy", ",", false},
		{"proxy.goproxy", "direct,", false},
		{"proxy.goproxy", "|direct", false},
		{"proxy.goproxy", "https://a.example.com,|direct", false},
		{"proxy.goproxy", "https://a.example.com direct", false},
		{"proxy.goproxy", "https://a.example.com\ndirect", false},
		{"proxy.goproxy", "https://a.example.com/$(id)", false},
		// Private patterns: the host's own modules, written out.
		{"proxy.gonosumdb", "example.com/gateway/sdk", true},
		{"proxy.gonosumdb", "example.com/gateway", true},
		{"proxy.gonosumdb", "example.com/textkit", true},
		{"proxy.goprivate", "example.com/gateway/sdk", true},
		{"proxy.gonoproxy", "example.com/textkit", true},
		{"proxy.gonosumdb", "", false},
		{"proxy.gonosumdb", "example.com/gateway/sdk/", false},
		{"proxy.gonosumdb", "/example.com", false},
		{"proxy.gonosumdb", "example.com/gateway/*", false},
		{"proxy.gonosumdb", "example.com/gateway/sd[k]", false},
		{"proxy.gonosumdb", `example.com\gateway`, false},
		{"proxy.gonosumdb", "example.com/gateway/sdk example.com/textkit", false},
		{"proxy.gonosumdb", "example.com/gateway/sdkx", false},
		{"proxy.gonosumdb", "example.com/gate", false},
		{"proxy.gonosumdb", "example.org/gateway", false},
		{"proxy.gonosumdb", "golang.org/toolchain/x", false},
		{"proxy.gonosumdb", "golang.org/x/mod", false},
		{"proxy.gonosumdb", "github.com", false},
		{"proxy.gonosumdb", "com", false},
		{"proxy.gonosumdb", "..", false},
		{"proxy.gonosumdb", "example.com/../etc", false},
		{"proxy.goprivate", "*", false},
		{"proxy.goprivate", "example.com", false},
		{"proxy.goprivate", "golang.org/toolchain", false},
		{"proxy.gonoproxy", "*", false},
		{"proxy.gonoproxy", "example.com", false},
		{"proxy.gonoproxy", "golang.org/toolchain", false},
		// Compiler flags: the ones that change how packages compile.
		{"build.gcflags", "all=-N -l", true},
		{"build.gcflags", "-N -l", true},
		{"build.gcflags", "std=-B", true},
		{"build.gcflags", "example.com/gateway/...=-d=checkptr", true},
		{"build.gcflags", "all=-d=checkptr=2", true},
		{"build.gcflags", "all=-spectre=all", true},
		{"build.gcflags", "all=-spectre=index,ret", true},
		{"build.gcflags", "all=-dwarf=false -smallframes", true},
		{"build.gcflags", "all=-dwarflocationlists=true", true},
		{"build.gcflags", "all=", true},
		{"build.gcflags", "all=-N=1", false},
		{"build.gcflags", "all=-d", false},
		{"build.gcflags", "all=-d=checkptr,ssa/check/on", false},
		{"build.gcflags", "all=-d=checkptr=3", false},
		{"build.gcflags", "all=-spectre=all,nope", false},
		{"build.gcflags", "all=-dwarf=maybe", false},
		{"build.gcflags", "all=--N", false},
		{"build.gcflags", "all=N", false},
		{"build.gcflags", "all=-N /tmp/x.go", false},
		{"build.gcflags", "all=-cpuprofile /tmp/profile", false},
		{"build.gcflags", "all=-memprofilerate=1", false},
		{"build.gcflags", "all=-traceprofile=/tmp/t", false},
		{"build.gcflags", "all=-m=2", false},
		{"build.gcflags", "all=-S", false},
		{"build.gcflags", "all=-race", false},
		{"build.gcflags", "all=-shared", false},
		{"build.gcflags", "all=-std", false},
		{"build.gcflags", "all=-p=main", false},
		{"build.gcflags", "all=-lang=go1.1", false},
		{"build.gcflags", "all=-goversion=go1", false},
		{"build.gcflags", "all=-buildid=x", false},
		{"build.gcflags", "all=-installsuffix=x", false},
		{"build.gcflags", "all=-complete", false},
		{"build.gcflags", "all=-h", false},
		{"build.gcflags", "all=-e", false},
		{"build.gcflags", "all=-trimpath=/", false},
		{"build.gcflags", "all=-env=X=1", false},
		{"build.gcflags", "all=-c=4", false},
		{"build.gcflags", "=-N", false},
		{"build.gcflags", "all", false},
		{"build.gcflags", "./...=-N", false},
		{"build.gcflags", "a b=-N", false},
		{"build.gcflags", "all=-N;-l", false},
		{"build.gcflags", "all=-N\n-l", false},
		{"build.gcflags", "all='-N'", false},
		{"build.asmflags", "-D=GOOS_linux", true},
		{"build.asmflags", "all=-D=A=1 -spectre=ret", true},
		{"build.asmflags", "all=-spectre=index", false},
		{"build.asmflags", "-D", false},
		{"build.asmflags", "-D=1A", false},
		{"build.asmflags", "-N", false},
		{"build.asmflags", "-S", false},
		{"build.asmflags", "-p=main", false},
		{"build.asmflags", "-compiling-runtime", false},
		{"build.asmflags", "-e", false},
	} {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			m := exampleManifest(t)
			path := tt.field
			switch tt.field {
			case "proxy.goproxy":
				m.Proxy.GOPROXY = tt.value
			case "proxy.gonosumdb":
				m.Proxy.GONOSUMDB, path = []string{tt.value}, tt.field+"[0]"
			case "proxy.goprivate":
				m.Proxy.GOPRIVATE, path = []string{tt.value}, tt.field+"[0]"
			case "proxy.gonoproxy":
				m.Proxy.GONOPROXY, path = []string{tt.value}, tt.field+"[0]"
			case "build.gcflags":
				m.Build.Gcflags = tt.value
			case "build.asmflags":
				m.Build.Asmflags = tt.value
			}
			err := m.Validate()
			var p *Problems
			refused := errors.As(err, &p) && slices.ContainsFunc(p.List, func(q Problem) bool { return q.Path == path })
			switch {
			case tt.ok && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case !tt.ok && !refused:
				t.Errorf("Validate() = %v, want a problem with %s", err, path)
			}
		})
	}
}

// TestBareDomainOfHost takes a bare domain as a pattern when it is the
// host's own module, which the manifest owns, and no other.
func TestBareDomainOfHost(t *testing.T) {
	m := exampleManifest(t)
	m.Host.Module = "gateway.example"
	m.Proxy.GONOSUMDB = []string{"gateway.example"}
	if err := m.Validate(); err != nil {
		t.Errorf("the host's own module as a pattern: %v", err)
	}
	m.Proxy.GONOSUMDB = []string{"example.com"}
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "bare domain") {
		t.Errorf("another bare domain: got %v, want it refused as a bare domain", err)
	}
}

// TestToolchainModule refuses a build list naming the Go toolchain module,
// which a pattern could then be said to match.
func TestToolchainModule(t *testing.T) {
	m := exampleManifest(t)
	m.Modules = append(m.Modules, Module{Path: ToolchainModule, Version: "v0.0.1-go1.26.99.linux-amd64"})
	m.Proxy.GONOSUMDB = []string{ToolchainModule}
	err := m.Validate()
	for _, want := range []string{"modules[2].path: golang.org/toolchain is the Go release", "proxy.gonosumdb[0]: \"golang.org/toolchain\" covers golang.org/toolchain"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want a problem saying %q", err, want)
		}
	}
}

func TestSettings(t *testing.T) {
	m := exampleManifest(t)
	old := m.Settings()
	want := []Setting{{"proxy.gonosumdb", "example.com/gateway/sdk"}}
	if !slices.Equal(old, want) {
		t.Errorf("Settings() = %v, want %v", old, want)
	}
	m.Proxy.GOPROXY = "https://proxy.example.com"
	m.Proxy.GONOSUMDB = nil
	m.Build.Gcflags = "all=-N -l"
	got := ChangedSettings(old, m.Settings())
	wantChanges := []SettingChange{
		{"proxy.goproxy", "", "https://proxy.example.com"},
		{"proxy.gonosumdb", "example.com/gateway/sdk", ""},
		{"build.gcflags", "", "all=-N -l"},
	}
	if !slices.Equal(got, wantChanges) {
		t.Errorf("ChangedSettings() = %v, want %v", got, wantChanges)
	}
	if c := ChangedSettings(old, old); len(c) != 0 {
		t.Errorf("ChangedSettings of the same settings = %v, want none", c)
	}
}
