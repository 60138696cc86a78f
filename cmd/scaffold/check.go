package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/artifact"
	"github.com/scaffold-dev/scaffold/internal/compat"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/target"
)

// Exit codes of scaffold check, for scripts and Makefiles that branch on
// the verdict.
const (
	exitCompatible   = 0
	exitIncompatible = 1
	exitUnusable     = 2
)

// checkOptions are the flags of scaffold check.
type checkOptions struct {
	host         string
	manifestFile string
	json         bool
	plugins      []string
}

func newCheckCmd() *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check (--host HOST | --manifest MANIFEST) PLUGIN.so...",
		Short: "Say whether plugins will load into a host, and why not",
		// check writes nothing: an interrupt may end it at once.
		Annotations: map[string]string{annotationInterrupt: interruptDefault},
		Long: `check says whether each plugin will load into the host, without running the
host, and names every cause when it will not, with the fix.

With --host, the verdict is the one plugin.Open would give: the per-package
hashes the Go runtime compares are read from both files and compared for every
package the two share. The causes come from both files' build info and ELF
headers: Go release, -trimpath, -race, tags, gcflags, cgo, platform, libc, and
the version, sum and origin of every shared module. A difference that changes
no shared package is a warning.

With --manifest alone, the plugin is held to the host's release manifest (or a
generated repository's scaffold.lock, which holds it): everything build info
can tell, each difference counting. With both, the host binary decides and the
manifest adds its contract: every symbol the host looks up must be exported,
with the type the host asserts. A manifest of another host than the binary is
refused. In a plugin's repository, --host alone takes the contract from the
repository's scaffold.lock, as make check does; elsewhere the symbols are not
checked, and the report says so.

Exit status: 0 compatible, 1 incompatible, 2 unusable input (not an ELF file,
not Go, not a plugin, no build info, a missing file, a manifest of another
host than --host), 64 a usage error.`,
		Example: `  scaffold check --host ./gateway dist/hello-world_v0.1.0_gateway-v1.0.0_linux_amd64_glibc.so
  scaffold check --manifest scaffold.lock --json dist/*.so`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{errors.New("PLUGIN.so: give at least one plugin file")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.plugins = args
			return runCheck(cmd, &o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.host, "host", "", "the host `executable` the plugins must load into")
	f.StringVar(&o.manifestFile, "manifest", "", "the host's release `manifest`, or a generated repository's scaffold.lock")
	f.BoolVar(&o.json, "json", false, "write the reports as JSON")
	return cmd
}

// A checkError ends scaffold check with an exit code of its own.
type checkError struct {
	err  error
	code int
}

func (e checkError) Error() string { return e.err.Error() }
func (e checkError) Unwrap() error { return e.err }
func (e checkError) ExitCode() int { return e.code }

func unusable(err error) error { return checkError{err, exitUnusable} }

// pluginResult is one plugin's entry in the JSON output: its report, or
// why it could not be checked.
type pluginResult struct {
	Plugin string `json:"plugin"`
	Error  string `json:"error,omitempty"`
	*compat.Report
}

func runCheck(cmd *cobra.Command, o *checkOptions) error {
	if o.host == "" && o.manifestFile == "" {
		return usageError{errors.New("--host or --manifest: required: give the host binary, its release manifest, or both")}
	}
	var t compat.Target
	// releases are the host releases of a repository built for several,
	// whose lock is the manifest: each plugin is checked against the
	// release its build is for.
	var releases []*manifest.Manifest
	against := ""
	// Inside a plugin's repository its scaffold.lock holds the host's
	// contract, which --host alone would leave unchecked: make check
	// holds the plugin to it, and so does check --host there.
	fromRepo := false
	if o.manifestFile == "" && o.host != "" {
		o.manifestFile, fromRepo = repoLock(), true
	}
	if o.manifestFile != "" {
		m, handlers, rels, err := loadManifest(cmd.Context(), o.manifestFile)
		if err != nil {
			return unusable(err)
		}
		t.Manifest, t.Handlers, releases = m, handlers, rels
		against = fmt.Sprintf("%s %s (manifest %s)", m.Host.Name, m.Host.Version, o.manifestFile)
	}
	// The plugins are read first, so that of the host only the packages
	// they link are read.
	plugins := make([]*artifact.File, len(o.plugins))
	readErrs := make([]error, len(o.plugins))
	var linked []string
	for i, path := range o.plugins {
		plugins[i], readErrs[i] = readPlugin(path, t.Manifest == nil)
		if plugins[i] != nil {
			linked = append(linked, slices.Collect(maps.Keys(plugins[i].PkgHashes))...)
		}
	}
	if o.host != "" {
		slices.Sort(linked)
		h, err := artifact.OpenHost(o.host, slices.Compact(linked))
		if err != nil {
			return unusable(fmt.Errorf("reading host binary: %w", err))
		}
		if err := h.CheckHost(); err != nil {
			return unusable(fmt.Errorf("--host: %w", err))
		}
		// A manifest of another host would hold the plugins to symbols
		// this host never looks up, and name the wrong release in advice.
		// The repository's own lock, not asked for, is then left out.
		if m := t.Manifest; m != nil && m.Host.Module != "" && h.Build != nil && h.Build.Main.Path != m.Host.Module {
			if !fromRepo {
				return unusable(fmt.Errorf("--manifest: %s is for %s %s (module %s), but --host %s is %s: give this host's release manifest, or the scaffold.lock of a plugin made for it", o.manifestFile, m.Host.Name, m.Host.Version, m.Host.Module, o.host, h.Build.Main.Path))
			}
			t.Manifest, t.Handlers, o.manifestFile, releases = nil, nil, "", nil
		}
		t.Host = h
		against = "host " + o.host
		if fromRepo && t.Manifest != nil {
			against += " (contract from " + o.manifestFile + ")"
		}
	}

	code := exitCompatible
	var results []pluginResult
	var incompatible, failed []string
	// notChecked records a plugin that could not be checked.
	notChecked := func(res pluginResult, err error) {
		code = exitUnusable
		failed = append(failed, res.Plugin)
		res.Error = err.Error()
		if !o.json {
			fmt.Fprintln(cmd.ErrOrStderr(), "scaffold: "+err.Error())
		}
		results = append(results, res)
	}
	for i, path := range o.plugins {
		res := pluginResult{Plugin: path}
		p, err := plugins[i], readErrs[i]
		if err != nil {
			notChecked(res, err)
			continue
		}
		pt, pagainst := t, against
		if releases != nil {
			if pt, pagainst, err = forRelease(t, releases, p, against, o.manifestFile); err != nil {
				notChecked(res, err)
				continue
			}
		}
		res.Report = compat.Check(pt, p)
		if t.Manifest == nil {
			res.Unchecked = append(res.Unchecked, symbolsUnchecked)
		}
		if !res.Compatible {
			incompatible = append(incompatible, path)
			code = max(code, exitIncompatible)
		}
		if !o.json {
			if err := res.WriteText(cmd.OutOrStdout(), pagainst); err != nil {
				return err
			}
			if !res.Compatible && releases != nil && t.Host != nil {
				if err := writeTargetAdvice(cmd.OutOrStdout(), t.Host, releases, pt.Manifest); err != nil {
					return err
				}
			} else if !res.Compatible {
				if err := writeReleaseAdvice(cmd.OutOrStdout(), pt, o.manifestFile, p.Build); err != nil {
					return err
				}
			}
		}
		results = append(results, res)
	}
	if o.json {
		out, err := json.MarshalIndent(struct {
			Host       string         `json:"host,omitempty"`
			Manifest   string         `json:"manifest,omitempty"`
			Compatible bool           `json:"compatible"`
			Plugins    []pluginResult `json:"plugins"`
		}{o.host, o.manifestFile, code == exitCompatible, results}, "", "  ")
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(cmd.OutOrStdout(), "%s\n", out); err != nil {
			return err
		}
	}
	switch {
	case code == exitUnusable:
		return checkError{fmt.Errorf("%d of %d plugins could not be checked", len(failed), len(o.plugins)), code}
	case code == exitIncompatible && t.Host != nil:
		return checkError{fmt.Errorf("%d of %d plugins will not load into %s", len(incompatible), len(o.plugins), against), code}
	case code == exitIncompatible:
		return checkError{fmt.Errorf("%d of %d plugins do not match %s", len(incompatible), len(o.plugins), against), code}
	}
	return nil
}

// symbolsUnchecked is what a check against a host binary alone leaves out.
const symbolsUnchecked = "the symbols the host looks up and their types, which only its release manifest records: give it, or the plugin repository's scaffold.lock, with --manifest, or check in the plugin's repository"

// repoLock returns the scaffold.lock of the plugin repository the working
// directory is in, or "".
func repoLock() string {
	if fi, err := os.Lstat(lock.FileName); err == nil && fi.Mode().IsRegular() {
		return lock.FileName
	}
	if repo := enclosingRepo("."); repo != "" {
		return filepath.Join(repo, lock.FileName)
	}
	return ""
}

// readPlugin reads a file that must be a Go plugin; without a manifest no
// symbol is looked up, and only its package hashes are read.
func readPlugin(path string, hashesOnly bool) (*artifact.File, error) {
	open := artifact.Open
	if hashesOnly {
		open = artifact.OpenHashes
	}
	p, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("reading plugin: %w", err)
	}
	if err := p.CheckPlugin(); err != nil {
		return nil, err
	}
	return p, nil
}

// loadManifest reads a manifest, or the manifest a generated repository's
// lock file holds: the release the repository was generated for, and the
// handlers the plugin was given; for a repository built for several
// releases, every release, oldest first.
func loadManifest(ctx context.Context, file string) (*manifest.Manifest, []string, []*manifest.Manifest, error) {
	if isLockFile(file) {
		l, err := lock.Read(file)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("--manifest: %w", err)
		}
		var releases []*manifest.Manifest
		if l.Multi() {
			releases = l.Releases()
		}
		return l.Manifest, l.Answers.Handlers, releases, nil
	}
	m, _, err := readManifest(ctx, file)
	return m, nil, nil, err
}

// forRelease is the target a plugin of a repository built for several
// releases is checked against: the release its build info's tags say it
// was built for (see [target.List.Match]), with that release's own tag
// expected beside the host's; and how the report names it.
func forRelease(t compat.Target, releases []*manifest.Manifest, p *artifact.File, against, manifestFile string) (compat.Target, string, error) {
	l := target.Of(releases)
	v, err := l.Match(p.Tags())
	if err != nil {
		return t, "", fmt.Errorf("%s: %w", p.Path, err)
	}
	t.Manifest = releases[slices.Index(l.Versions, v)]
	t.Tags = l.Tags(v)
	if t.Host == nil {
		against = fmt.Sprintf("%s %s (manifest %s)", t.Manifest.Host.Name, v, manifestFile)
	}
	return t, against, nil
}
