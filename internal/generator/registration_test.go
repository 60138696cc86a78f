package generator

import (
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestRegistrationPerLibc checks that the README names the artifact of
// each libc the plugin is built for, and gives one snippet per libc when
// the snippet names the file.
func TestRegistrationPerLibc(t *testing.T) {
	for _, c := range []struct {
		name    string
		snippet string
		noDir   bool
		want    []string
		notWant []string
	}{{
		name:    "snippet naming the file",
		snippet: `{"path": "plugins/{{file}}"}`,
		want: []string{
			"- musl: `dist/p_v0.1.0_gateway-v1.0.0_linux_amd64_musl.so` (`make build LIBC=musl`)\n",
			"- glibc: `dist/p_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so` (`make build LIBC=glibc`)\n",
			"For a musl host:\n\n```\n{\"path\": \"plugins/p_v0.1.0_gateway-v1.0.0_linux_amd64_musl.so\"}\n```\n",
			"For a glibc host:\n\n```\n{\"path\": \"plugins/p_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so\"}\n```\n",
			"Copy it into `plugins` and name it in `gateway.json`.\n",
		},
	}, {
		name:    "snippet with a fixed name",
		snippet: `{"path": "plugins/{{name}}.so"}`,
		want: []string{
			"- musl: `dist/p_v0.1.0_gateway-v1.0.0_linux_amd64_musl.so`",
			"- glibc: `dist/p_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so`",
			"```\n{\"path\": \"plugins/p.so\"}\n```\n",
			// The artifact keeps its own name in dist/: the README says
			// the one the configuration gives it.
			"Copy it into `plugins` as `p.so` and name it in `gateway.json`.\n",
		},
		notWant: []string{"For a musl host"},
	}, {
		name:    "a fixed name, no plugin directory",
		snippet: `{"path": "plugins/{{name}}.so"}`,
		noDir:   true,
		want: []string{
			"Name it in `gateway.json`; the configuration below takes the file as `p.so`.\n",
		},
		notWant: []string{"Copy it into"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			m := exampleManifest(t)
			m.Registration.Snippet = c.snippet
			if c.noDir {
				m.Registration.Directory = ""
			}
			tree, err := Render(&Options{
				Name:     "p",
				Module:   "example.com/p",
				Libc:     []string{manifest.Musl, manifest.Glibc},
				Manifest: m,
			})
			if err != nil {
				t.Fatal(err)
			}
			readme := string(tree["README.md"])
			for _, w := range c.want {
				if !strings.Contains(readme, w) {
					t.Errorf("README.md lacks %q:\n%s", w, readme)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(readme, w) {
					t.Errorf("README.md holds %q:\n%s", w, readme)
				}
			}
		})
	}
}
