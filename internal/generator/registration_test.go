package generator

import (
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestRegistrationPerLibc checks that the README names the artifact of
// each libc the plugin is built for, gives one snippet per libc when the
// snippet names the file, and says of the registration what the manifest
// says, and nothing more.
func TestRegistrationPerLibc(t *testing.T) {
	for _, c := range []struct {
		name    string
		snippet string
		noDir   bool
		config  string
		want    []string
		notWant []string
	}{{
		name:    "snippet naming the file",
		snippet: `{"path": "plugins/{{file}}"}`,
		want: []string{
			"- musl: `dist/p_v0.1.0_gateway-v1.0.0_linux_amd64_musl.so` (`make build LIBC=musl`)\n",
			"- glibc: `dist/p_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so` (`make build LIBC=glibc`)\n",
			"For a musl host, in `gateway.json`:\n\n```\n{\"path\": \"plugins/p_v0.1.0_gateway-v1.0.0_linux_amd64_musl.so\"}\n```\n",
			"For a glibc host, in `gateway.json`:\n\n```\n{\"path\": \"plugins/p_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so\"}\n```\n",
			"gateway looks for plugins in `plugins`: copy it there.\n",
			"in `.run/`, which holds only what it needs: the plugin, in `plugins/` under its artifact's file name, and `gateway.json`, the configuration above.\n",
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
			"gateway looks for plugins in `plugins`: copy it there as `p.so`, the name the configuration below gives it.\n",
			"In `gateway.json`:\n\n```\n{\"path\": \"plugins/p.so\"}\n```\n",
			"in `.run/`, which holds only what it needs: `plugins/p.so` and `gateway.json`, the configuration above.\n",
			"The command is `{host} -config {config}`, started in `.run/` ({host} is the host\nbinary, {config} the configuration file).\n",
		},
		notWant: []string{"For a musl host"},
	}, {
		name:    "a fixed name, no plugin directory",
		snippet: `{"path": "plugins/{{name}}.so"}`,
		noDir:   true,
		want: []string{
			"The configuration below takes it as `p.so`.\n",
		},
		notWant: []string{"looks for plugins in"},
	}, {
		// A configuration file that only says where the plugins are, as
		// an env file does: the README gives it as the manifest does and
		// guesses no file name, nor that the file names the plugin.
		name:    "an env file naming the directory",
		snippet: "PLUGIN_DIR=plugins\n",
		config:  "hub.env",
		want: []string{
			"gateway looks for plugins in `plugins`: copy it there.\n",
			"In `hub.env`:\n\n```\nPLUGIN_DIR=plugins\n```\n",
		},
		notWant: []string{"p.so", "name it", "Name it", "For a musl host"},
	}, {
		// A manifest made from a binary alone says nothing of it: the
		// README says so, and sends the reader to the host's docs.
		name:    "no registration",
		noDir:   true,
		config:  "-",
		want:    []string{"says nothing of how gateway\nfinds its plugins", "register the file as gateway's own documentation says.\n"},
		notWant: []string{"looks for plugins in", "```\n{", "configuration file is"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			m := exampleManifest(t)
			m.Registration.Snippet = c.snippet
			if c.noDir {
				m.Registration.Directory = ""
			}
			switch c.config {
			case "":
			case "-":
				m.Registration.ConfigFile = ""
			default:
				m.Registration.ConfigFile = c.config
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
