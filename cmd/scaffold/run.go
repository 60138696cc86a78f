package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/printable"
)

// runDir is where scaffold run lays out the host's plugin directory and
// configuration; it is scaffold's own, remade on every run.
const runDir = ".run"

func newRunCmd() *cobra.Command {
	var host string
	cmd := &cobra.Command{
		Use:   "run --host HOST PLUGIN.so",
		Short: "Run the host with the built plugin registered, until it exits or Ctrl-C",
		Long: `run starts the host with the plugin registered, as the host release's
manifest (in scaffold.lock) says: it writes the registration snippet as the
host's configuration file in .run/, puts the plugin in the host's plugin
directory there, as the only file (named NAME.so when the snippet names
{{name}}.so, else as the artifact is), and runs the manifest's
registration.run command from .run/. Ctrl-C stops the host (an interrupt, then a kill after 10 s). Go
plugins cannot be unloaded, so trying a new build means starting the host
again: make dev does that after every change.

Run it in the plugin's repository; make run builds and checks first.`,
		Example: `  scaffold run --host ../gateway/gateway dist/hello-world_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so`,
		Args:    oneArg("PLUGIN.so", "plugin file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if host == "" {
				return usage("--host: required: the host binary to run the plugin in")
			}
			return runHost(cmd, host, args[0])
		},
	}
	cmd.Flags().StringVar(&host, "host", "", "the host `executable`")
	return cmd
}

func runHost(cmd *cobra.Command, host, plugin string) error {
	l, err := lock.Read(lock.FileName)
	if repo := enclosingRepo("."); errors.Is(err, fs.ErrNotExist) && repo != "" {
		return fmt.Errorf("the current directory is not the root of the plugin's repository: %s runs in %s, where scaffold.lock is", cmd.CommandPath(), repo)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the current directory is not a plugin repository scaffold generated: it has no %s, which says how %s runs the host: run it in the plugin's repository", lock.FileName, cmd.CommandPath())
	}
	if err != nil {
		return err
	}
	// The plugin is copied into the host's plugin directory under this
	// name: one edited to hold a path would put it outside .run.
	if err := generator.CheckName(l.Answers.Name); err != nil {
		return fmt.Errorf("%s: answers.name: %w", lock.FileName, err)
	}
	m, reg := l.Manifest, l.Manifest.Registration
	if len(reg.Run) == 0 {
		return fmt.Errorf("the manifest of %s %s does not say how to run the host with a plugin (registration.run)", m.Host.Name, m.Host.Version)
	}
	if reg.ConfigFile == "" && strings.Contains(strings.Join(reg.Run, " "), "{config}") {
		return fmt.Errorf("the manifest of %s %s names no registration.configFile for {config}", m.Host.Name, m.Host.Version)
	}
	hostAbs, err := filepath.Abs(host)
	if err != nil {
		return err
	}
	// The plugin goes through the bounded ELF reader scaffold check uses
	// before anything is written or copied: a file that is no Go plugin
	// (a 500 MB one, say) is refused at once, not read whole.
	a, err := artifact.OpenHashes(plugin)
	if err != nil {
		return fmt.Errorf("reading plugin: %w", err)
	}
	if err := a.CheckPlugin(); err != nil {
		return err
	}
	if err := os.RemoveAll(runDir); err != nil {
		return err
	}
	pluginDir := filepath.Join(runDir, filepath.FromSlash(reg.Directory))
	if err := os.MkdirAll(pluginDir, 0o755); err != nil {
		return err
	}
	data, err := input.ReadFile(plugin, input.BinaryLimit)
	if err != nil {
		return fmt.Errorf("reading plugin: %w", err)
	}
	// One file, under the one name the registration gives it: a host
	// that opens every file of its plugin directory would open a second
	// copy too, and refuse it as a plugin already loaded.
	artifact := filepath.Base(plugin)
	if err := os.WriteFile(filepath.Join(pluginDir, reg.PluginFile(l.Answers.Name, artifact)), data, 0o755); err != nil {
		return err
	}
	config := ""
	if reg.ConfigFile != "" {
		snippet, err := reg.SnippetFor(l.Answers.Name, artifact, l.Answers.Handlers)
		if err != nil {
			return fmt.Errorf("registration.snippet: %w", err)
		}
		config = filepath.Join(runDir, filepath.FromSlash(reg.ConfigFile))
		if err := os.MkdirAll(filepath.Dir(config), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(config, []byte(snippet+"\n"), 0o644); err != nil {
			return err
		}
		if config, err = filepath.Abs(config); err != nil {
			return err
		}
	}
	fill := strings.NewReplacer("{host}", hostAbs, "{config}", config)
	args := make([]string, len(reg.Run))
	for i, a := range reg.Run {
		args[i] = fill.Replace(a)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "running %s %s with %s: %s\n", m.Host.Name, m.Host.Version, artifact, strings.Join(args, " "))
	c := exec.CommandContext(cmd.Context(), args[0], args[1:]...)
	c.Dir = runDir
	stdout, stderr := hostOutput(cmd.OutOrStdout()), hostOutput(cmd.ErrOrStderr())
	defer stdout.Flush()
	defer stderr.Flush()
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, stdout, stderr
	// Ctrl-C asks the host to stop as it would be asked in production,
	// and kills it only when it does not.
	c.Cancel = func() error { return c.Process.Signal(syscall.SIGINT) }
	c.WaitDelay = 10 * time.Second
	err = c.Run()
	var ee *exec.ExitError
	switch {
	case cmd.Context().Err() != nil:
		return cmd.Context().Err()
	case errors.As(err, &ee):
		return fmt.Errorf("%s exited: %v", m.Host.Name, ee)
	case err != nil:
		return fmt.Errorf("running %s: %w", m.Host.Name, err)
	}
	return nil
}

// hostOutput is the writer the host's output goes to through w, one of
// the command's own: at a terminal, unless NO_COLOR is set, the colours
// of the host's log pass (SGR sequences only); any other control sequence
// is escaped, as in everything scaffold writes.
func hostOutput(w io.Writer) *printable.Writer {
	if pw, ok := w.(*printable.Writer); ok {
		w = pw.Underlying()
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == "" {
		return printable.NewColourWriter(w)
	}
	return printable.NewWriter(w)
}
