package manifest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/input"
)

func exampleManifest(t *testing.T) *Manifest {
	t.Helper()
	m, err := Load(filepath.Join("..", "..", "examples", "gateway", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestJSONAndYAML reads the same manifest from both formats and expects the
// same content and digest.
func TestJSONAndYAML(t *testing.T) {
	m := exampleManifest(t)
	for _, name := range []string{"m.json", "m.yaml"} {
		data, err := Marshal(name, m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(back, m) {
			t.Errorf("%s: read back %+v, want %+v", name, back, m)
		}
		if back.Digest() != m.Digest() {
			t.Errorf("%s: digest %s, want %s", name, back.Digest(), m.Digest())
		}
	}
}

// TestFormatSniffing reads JSON from a file without a known extension.
func TestFormatSniffing(t *testing.T) {
	data, err := json.Marshal(exampleManifest(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("manifest", data); err != nil {
		t.Fatal(err)
	}
	// With a trailing comma it is not JSON, though YAML would take it.
	bad := strings.Replace(string(data), `"schemaVersion":1,`, `"schemaVersion":1,,`, 1)
	if _, err := Parse("manifest", []byte(bad)); err == nil || !strings.Contains(err.Error(), "invalid JSON") {
		t.Errorf("Parse of broken JSON: got %v, want an invalid JSON error", err)
	}
}

// TestHostileValues feeds every checker values that would break out of a
// Makefile, a Dockerfile or a shell line.
func TestHostileValues(t *testing.T) {
	hostile := []string{"$(id)", "`id`", "a;b", "a\nb", `a"b`, "a'b", "a b", "a|b", "a&b", "a>b", "a\\b", "${X}", "a#b", ""}
	checks := map[string]func(string) error{
		"CheckToken":         CheckToken,
		"CheckGoVersion":     CheckGoVersion,
		"CheckBuildTag":      CheckBuildTag,
		"CheckCompilerFlags": CheckCompilerFlags,
		"CheckImage":         CheckImage,
		"CheckPackage":       CheckPackage,
	}
	for name, check := range checks {
		for _, v := range hostile {
			if name == "CheckCompilerFlags" && v == "a b" {
				continue // words separated by one space are flags
			}
			if err := check(v); err == nil {
				t.Errorf("%s(%q) = nil, want an error", name, v)
			}
		}
	}
}

func TestValues(t *testing.T) {
	for _, tt := range []struct {
		check func(string) error
		value string
		ok    bool
	}{
		{CheckGoVersion, "go1.26.8", true},
		{CheckGoVersion, "go1.27rc1", true},
		{CheckGoVersion, "go1.26", false},
		{CheckGoVersion, "go1.20", false},
		{CheckGoVersion, "go1.21.0", true},
		{CheckGoVersion, "1.26.8", false},
		{CheckGoVersion, "go1.26.8 X:boringcrypto", false},
		{CheckImage, "golang:1.26.8-bookworm", true},
		{CheckImage, "registry.example.com:5000/team/golang:1.26.8", true},
		{CheckImage, "golang@sha256:" + strings.Repeat("a", 64), true},
		{CheckImage, "golang:1.26.8@sha256:" + strings.Repeat("0", 64), true},
		{CheckImage, "golang", false},
		{CheckImage, "golang:latest", false},
		{CheckImage, "Golang:1.26", false},
		{CheckBuildTag, "netgo", true},
		{CheckBuildTag, "go1.26", true},
		{CheckBuildTag, "a-b", false},
		{CheckCompilerFlags, "all=-N -l", true},
		{CheckCompilerFlags, "all=-N  -l", false},
		{CheckPackage, "build-base", true},
		{CheckPackage, "libc6-dev=2.36-9+deb12u4", true},
		{CheckPackage, "-f", false},
		{CheckToken, "v1.0.0", true},
		{CheckToken, "-rf", false},
		{checkRepository, "https://example.com/mono.git", true},
		{checkRepository, "git@example.com:team/mono.git", true},
		{checkRepository, "/srv/git/mono", true},
		{checkRepository, "ext::sh%20-c%20touch%20x", false},
		{checkRepository, "-uhelp", false},
		{checkRepository, "example.com/mono", false},
	} {
		err := tt.check(tt.value)
		if (err == nil) != tt.ok {
			t.Errorf("check(%q) = %v, want ok=%v", tt.value, err, tt.ok)
		}
	}
}

func TestDefaultPackageName(t *testing.T) {
	for path, want := range map[string]string{
		"example.com/gateway/sdk": "sdk",
		"gopkg.in/yaml.v3":        "yaml",
		"github.com/x/go-kit":     "kit",
		"example.com/mod/v2":      "mod",
		"context":                 "context",
	} {
		if got := DefaultPackageName(path); got != want {
			t.Errorf("DefaultPackageName(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestValidateAfterEdit shows that Validate reports problems in a manifest
// built in code, where there are no lines.
func TestValidateAfterEdit(t *testing.T) {
	m := exampleManifest(t)
	m.Build.Tags = append(m.Build.Tags, "x;y")
	m.SDK.Version = "v9.9.9"
	err := m.Validate()
	if err == nil {
		t.Fatal("Validate accepted a bad tag and an SDK version the build list lacks")
	}
	for _, want := range []string{`build.tags[1]: "x;y" is not a valid build tag`, "sdk.version: v9.9.9 differs from the host's build list, which has example.com/gateway/sdk v1.0.0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want a not-exist error", err)
	}
}

// TestModuleVersions: a module version is valid as the go command writes
// it, +incompatible included; a form the go command would rewrite is
// refused with the form to write.
func TestModuleVersions(t *testing.T) {
	for _, tt := range []struct {
		path, version string
		want          string // "" for valid, else a substring of the error
	}{
		{"example.com/oldkit", "v2.0.0+incompatible", ""},
		{"github.com/docker/docker", "v2.22.0+incompatible", ""},
		{"example.com/textkit", "v1.1.0", ""},
		{"example.com/mono", "v0.0.0-20260101000000-e85375434558", ""},
		{"example.com/textkit", "v1.1", "write v1.1.0"},
		{"example.com/textkit", "v1.1.0+build", "write v1.1.0"},
		{"example.com/textkit", "v1.1.0+incompatible", "+incompatible"},
		{"example.com/oldkit/v2", "v2.0.0+incompatible", "+incompatible"},
	} {
		err := checkVersion(tt.path, tt.version)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("checkVersion(%s, %s) = %v, want nil", tt.path, tt.version, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("checkVersion(%s, %s) = %v, want an error saying %q", tt.path, tt.version, err, tt.want)
		}
	}
}

// TestSnippet: a snippet can list handlers as quoted names, or repeat an
// object per handler; a section left open or a {{handler}} outside one is
// refused.
func TestSnippet(t *testing.T) {
	for _, tt := range []struct {
		snippet, want, err string
	}{
		{`{"handlers": [{{handlers}}]}`, `{"handlers": ["Check", "Log"]}`, ""},
		{`{"handlers": [{{range handlers}}{"name": "{{handler}}", "path": "plugins/{{name}}.so"}{{end}}]}`,
			`{"handlers": [{"name": "Check", "path": "plugins/auth.so"}, {"name": "Log", "path": "plugins/auth.so"}]}`, ""},
		{"handlers:\n{{range handlers}}  - name: {{handler}}\n    file: {{file}}\n{{end}}",
			"handlers:\n  - name: Check\n    file: auth.so\n  - name: Log\n    file: auth.so", ""},
		{`[{{range handlers}}{{handler}}`, "", "without {{end}}"},
		{`[{{handler}}]`, "", "outside"},
		{`[{{end}}]`, "", "without {{range handlers}}"},
	} {
		r := Registration{Snippet: tt.snippet}
		got, err := r.SnippetFor("auth", "auth.so", []string{"Check", "Log"})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || checkSnippet(tt.snippet) == nil {
				t.Errorf("%q: got %v, want an error saying %q", tt.snippet, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q:\ngot  %q, %v\nwant %q", tt.snippet, got, err, tt.want)
		}
	}
}

// TestSymbolTypeSelectors: a symbol's type parses as an expression, in
// which sdk.a.B is a selector of a selector. No Go type is written so, and
// what reads the type (the check of a plugin's DWARF) takes the left of a
// selector for a package's name.
func TestSymbolTypeSelectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "relay", "releases", "v1.0.0.manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const cleanup = "type: func() error\n      required: true\n      sdkType: sdk.CleanupFunc"
	if !strings.Contains(string(data), cleanup) {
		t.Fatal("the relay's manifest no longer has the Cleanup symbol this test edits")
	}
	for _, typ := range []string{"sdk.a.B", "'*sdk.a.B'", "sdk.Request.Header", "'[]*sdk.a.B'"} {
		edited := strings.Replace(string(data), cleanup, "type: "+typ+"\n      required: true", 1)
		_, err := Parse("m.yaml", []byte(edited))
		if err == nil {
			t.Errorf("type %s: accepted", typ)
			continue
		}
		if want := "contract.symbols[2].type: "; !strings.Contains(err.Error(), want) {
			t.Errorf("type %s: error %q does not name %s", typ, err, want)
		}
	}
	edited := strings.Replace(string(data), cleanup, "type: '*sdk.Request'\n      required: true", 1)
	if _, err := Parse("m.yaml", []byte(edited)); err != nil {
		t.Errorf("type *sdk.Request: %v", err)
	}
}

// TestSnippetSize: a per-handler section is repeated once per handler,
// and the list of handlers once per {{handlers}}: a lock holding many
// handlers and a large snippet, both its own, would fill memory. The
// snippet filled in is bounded as a manifest is.
func TestSnippetSize(t *testing.T) {
	handlers := make([]string, 200)
	for i := range handlers {
		handlers[i] = fmt.Sprintf("H%d", i)
	}
	for _, snippet := range []string{
		"{{range handlers}}" + strings.Repeat("x", 64<<10) + "{{handler}}\n{{end}}",
		strings.Repeat("{{handlers}}\n", 64<<10),
	} {
		r := Registration{Snippet: snippet}
		got, err := r.SnippetFor("auth", "auth.so", handlers)
		if err == nil {
			t.Errorf("a snippet of %s filled in for %d handlers: %s, want an error", input.Size(int64(len(snippet))), len(handlers), input.Size(int64(len(got))))
		} else if !strings.Contains(err.Error(), "more than") {
			t.Errorf("error %q does not say the limit", err)
		}
	}
	r := Registration{Snippet: "{{range handlers}}" + strings.Repeat("x", 1<<10) + "{{handler}}\n{{end}}"}
	if _, err := r.SnippetFor("auth", "auth.so", handlers); err != nil {
		t.Errorf("a snippet of 200 KiB filled in: %v", err)
	}
}

// TestSnippetLongHandler: one section naming its handler often, for a
// handler of a long name, fills in past the bound in a single section,
// which is refused before it is made.
func TestSnippetLongHandler(t *testing.T) {
	r := Registration{Snippet: "{{range handlers}}" + strings.Repeat("{{handler}}", 100000) + "{{end}}"}
	h := strings.Repeat("H", 1000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := r.SnippetFor("auth", "auth.so", []string{h})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("a section of 100,000 names of 1,000 bytes filled in: %v, want an error", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 50<<20 {
		t.Errorf("refusing it allocated %d bytes", got)
	}
}
