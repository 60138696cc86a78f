// Command demo shows scaffold's main job on the example gateway, from a
// clean checkout: it builds the gateway with its release flags, writes the
// gateway's release manifest from the binary, scaffolds a plugin from the
// manifest, builds the plugin with the generated Makefile, and runs the
// gateway, which loads the plugin and sends a request through its hook.
//
// Usage:
//
//	go run ./examples/demo [-keep]
//
// Everything is written to a temporary directory, removed at the end unless
// -keep is given; then the demo prints the shell commands that make its
// scaffold, module proxy and module cache those of the commands typed next. The example modules are served from a file-based module
// proxy, as a published SDK would be.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/testbed"
)

func main() {
	keep := flag.Bool("keep", false, "keep the demo's directory")
	flag.Parse()
	if err := run(*keep); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(keep bool) error {
	examples, err := testbed.ExamplesDir()
	if err != nil {
		return err
	}
	root, err := os.MkdirTemp("", "scaffold-demo-")
	if err != nil {
		return err
	}
	w, err := testbed.New(root, examples)
	if err != nil {
		return err
	}
	// host is the gateway binary, once built.
	var host string
	if keep {
		defer func() {
			fmt.Printf("\nThe demo's files are in %s\n", root)
			if host != "" {
				fmt.Printf("To go on with them, in a shell:\n%s", keepLines(w, filepath.Join(root, "bin"), host))
			}
		}()
	} else {
		defer w.Close()
	}
	say := func(format string, args ...any) { fmt.Printf("\n== "+format+"\n", args...) }
	// env is nil for scaffold's own build, which uses the usual module
	// cache; the example world's commands get the world's environment.
	shEnv := func(env []string, dir, name string, args ...string) error {
		fmt.Printf("$ %s %s\n", name, strings.Join(args, " "))
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stdout
		return cmd.Run()
	}
	sh := func(dir, name string, args ...string) error { return shEnv(w.Env, dir, name, args...) }

	say("Building scaffold (the first build compiles its modules: minutes on a cold machine)")
	scaffold := filepath.Join(root, "bin", "scaffold")
	if err := shEnv(nil, filepath.Dir(examples), "go", "build", "-o", scaffold, "./cmd/scaffold"); err != nil {
		return err
	}

	say("Building the example gateway with its release flags (examples/gateway/Makefile)")
	host, err = w.Host(testbed.Glibc)
	if err != nil {
		return err
	}
	if err := sh(root, "go", "version", "-m", host); err != nil {
		return err
	}

	say("Writing the gateway's release manifest from its binary")
	if err := sh(root, scaffold, "manifest", "--from-binary", host,
		"--base", filepath.Join(examples, "gateway", "manifest.base.yaml"),
		"--host-version", "v1.0.0", "-o", "gateway-v1.0.0.manifest.yaml"); err != nil {
		return err
	}

	say("Scaffolding a plugin for the release")
	if err := sh(root, scaffold, "new", "hello-world", "--manifest", "gateway-v1.0.0.manifest.yaml",
		"--module", "example.com/hello-world", "--libc", "glibc", "--yes"); err != nil {
		return err
	}

	say("Building and testing the plugin with the generated Makefile")
	plugin := filepath.Join(root, "hello-world")
	// The scaffold just built checks the plugin's modules before the
	// build: the Makefile runs the scaffold it is given.
	if err := sh(plugin, "make", "--no-print-directory", "build", "test", "SCAFFOLD="+scaffold); err != nil {
		return err
	}

	say("Running the gateway: it loads the plugin and sends a request through it")
	run := filepath.Join(root, "run")
	if err := os.MkdirAll(filepath.Join(run, "plugins"), 0o755); err != nil {
		return err
	}
	so, err := filepath.Glob(filepath.Join(plugin, "dist", "*.so"))
	if err != nil || len(so) != 1 {
		return fmt.Errorf("looking for the built plugin: found %v", so)
	}
	data, err := os.ReadFile(so[0])
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(run, "plugins", "hello-world.so"), data, 0o755); err != nil {
		return err
	}
	config := `{"plugins": [{"name": "hello-world", "path": "plugins/hello-world.so", "enabled": true}]}` + "\n"
	if err := os.WriteFile(filepath.Join(run, "gateway.json"), []byte(config), 0o644); err != nil {
		return err
	}
	return sh(run, host, "-config", "gateway.json", "-path", "/demo")
}

// keepLines are the commands that let a shell go on where a kept demo
// stopped: the example modules are served only by the demo's file proxy,
// so without its settings no scaffold or go command finds them.
func keepLines(w *testbed.World, bin, host string) string {
	var b strings.Builder
	b.WriteString("  export")
	for _, key := range []string{"GOPROXY", "GOMODCACHE", "GOFLAGS", "GONOSUMDB"} {
		fmt.Fprintf(&b, " %s=%s", key, shellQuote(w.Getenv(key)))
	}
	fmt.Fprintf(&b, " PATH=%s:\"$PATH\"\n", shellQuote(bin))
	fmt.Fprintf(&b, "  cd %s && scaffold check --host %s dist/*.so\n", shellQuote(filepath.Join(w.Root, "hello-world")), shellQuote(host))
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
