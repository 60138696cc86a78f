package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaffold-dev/scaffold/internal/manifest"
	"github.com/scaffold-dev/scaffold/internal/upgrade"
)

// Exit codes of scaffold upgrade, beyond 0 (done, or up to date) and 1 (an
// error: nothing was changed).
const (
	// exitBehind: --check found the repository behind the release or the
	// templates.
	exitBehind = 2
	// exitConflicts: files hold conflict markers to resolve.
	exitConflicts = 3
	// exitContract: the author's hooks must change for the new contract.
	exitContract = 4
	// exitSettings: the release changes the manifest's module proxy,
	// checksum or compiler settings, which --accept-settings takes.
	exitSettings = 5
)

// An upgradeError is what scaffold upgrade left to the author, with the
// exit code that tells which.
type upgradeError struct {
	code int
	msg  string
}

func (e *upgradeError) Error() string { return e.msg }
func (e *upgradeError) ExitCode() int { return e.code }

// upgradeOptions are the flags of scaffold upgrade.
type upgradeOptions struct {
	manifestFile string
	dryRun       bool
	check        bool
	offline      bool
	quiet        bool
	verbose      bool
	derive       deriveFlags
	accept       bool
	set          []string
}

func newUpgradeCmd() *cobra.Command {
	var o upgradeOptions
	cmd := &cobra.Command{
		Use:   "upgrade --manifest MANIFEST [DIR]",
		Short: "Move a plugin repository to a new host release, keeping your changes",
		Long: `upgrade moves the plugin repository in DIR (default: the current directory)
to the host release the manifest describes, and to this scaffold's templates.

scaffold.lock holds the files as they were generated; each file is merged
three ways from them, your version and the new release's. A file you never
changed is replaced; one the templates did not change is left alone; one
both changed is merged, with conflict markers (<<<<<<< yours, ||||||| generated,
=======, >>>>>>> new) where your lines and the new ones collide. A file you
deleted stays deleted; a file new in the templates is added. go.mod is
moved as data: the Go release, the SDK and every module shared with the
host go to the new release's versions, your own requirements (those of
scaffold new --require, and the direct ones you added) stay at theirs,
and the requirements scaffold wrote, // indirect ones included, are
recomputed for the new release. When the host's plugin contract changed,
new methods get stubs in a new file, and removed or changed ones are
reported with the place to fix: your functions are never rewritten.

For a host that publishes no manifest, --from-binary makes the new
release's manifest from its binary, as scaffold manifest does.

--set name=value changes an answer the repository was generated with, through
the same three-way merge: module (the module path; the imports of the
module's own packages move with it, in every Go file), libc, hooks and
handlers (comma-separated lists; an empty one chooses none) and version (the
plugin's version before its first tag). Without --manifest the release stays
the one scaffold.lock records. A hook or handler chosen anew gets a stub.

Of your files, only Go sources, go.mod and go.sum are read, never build
outputs (dist/, or what .gitignore names). The summary counts the modules
that moved which way; --verbose lists them.

Nothing is written unless the whole upgrade succeeds; scaffold.lock is
updated last. The files change through a journal, .scaffold-txn: an
upgrade killed half way is rolled back by the next run, which says so;
--check and --dry-run refuse the repository until then. No symbolic link
is followed and .git is never touched. A scaffold.lock whose recorded
digest does not match its content is refused.

Exit codes:
  0  upgraded, or already up to date
  1  error: nothing was changed
  2  --check: the repository is behind the release or the templates
  3  files hold conflict markers to resolve
  4  hooks must change for the new contract (reported with file:line)
  5  the release changes the manifest's module proxy, checksum or compiler
     settings: they are shown, and nothing is changed; --accept-settings
     takes them

With --check nothing is written: 0 when the repository matches the release
and the templates and nothing is left to finish, 2 when it is behind, and 3
or 4 while conflict markers or contract changes from the last upgrade remain.`,
		Example: `  scaffold upgrade --manifest gateway-v1.1.0.manifest.yaml
  scaffold upgrade --manifest gateway-v1.1.0.manifest.yaml --dry-run
  scaffold upgrade --manifest gateway-v1.1.0.manifest.yaml --check ./my-plugin
  scaffold upgrade --from-binary ./gateway-v1.1.0 --host-source ../gateway
  scaffold upgrade --set module=example.com/team/hello-world --set libc=glibc`,
		Args: optionalArg("DIR", "plugin repository"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runUpgrade(cmd, &o, dir)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.manifestFile, "manifest", "", "the new host release's `manifest` (YAML or JSON): a file, or an https:// URL, pinned with #sha256=HEX")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the unified diff of every change and write nothing")
	f.BoolVar(&o.check, "check", false, "write nothing; exit 0 when up to date, 2 when behind")
	f.BoolVar(&o.offline, "offline", false, "skip downloading modules; go.sum is completed later with make tidy")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no steps and no progress on standard error, only errors")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "list every module the upgrade moves, not only how many moved which way")
	f.StringArrayVar(&o.set, "set", nil, "change an answer, as `name=value`: module, libc, hooks, handlers or version (repeatable)")
	f.BoolVar(&o.accept, "accept-settings", false, "take the release's changes to the module proxy, checksum and compiler settings, which are otherwise shown and refused")
	o.derive.register(f, "with --from-binary: ")
	return cmd
}

func runUpgrade(cmd *cobra.Command, o *upgradeOptions, dir string) error {
	if err := o.derive.check(o.manifestFile != ""); err != nil {
		return err
	}
	if o.manifestFile == "" && !o.derive.given() && len(o.set) == 0 {
		return usage("missing --manifest: the manifest of the host release to move to (or --from-binary: its binary, or --set name=value to change an answer)")
	}
	if o.check && o.dryRun {
		return usage("--check and --dry-run: give one of them")
	}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("DIR %s: no such directory: give the plugin's repository, or run in it", dir)
	}
	if repo := enclosingRepo(dir); repo != "" {
		return fmt.Errorf("%s is not the root of a plugin repository scaffold generated: the repository is %s: run there, or give it as DIR", dir, repo)
	}
	var (
		m      *manifest.Manifest
		source string
		err    error
	)
	switch {
	case o.derive.given():
		m, err = o.derive.manifest(cmd.Context(), stepLog(cmd, o.quiet))
	case o.manifestFile != "":
		m, source, err = readManifest(cmd.Context(), o.manifestFile)
	default:
		// Answers change; the release stays the one the lock records
		// (a nil manifest).
	}
	if err != nil {
		return err
	}
	opts := upgrade.Options{Dir: dir, Manifest: m, ManifestSource: source, Set: o.set, Offline: o.offline, DryRun: o.dryRun, AcceptSettings: o.accept, Log: stepLog(cmd, o.quiet), Progress: meter(o.quiet)}
	w := cmd.OutOrStdout()
	if o.check {
		res, err := upgrade.Status(opts)
		if err != nil {
			return err
		}
		if res.Behind != "" {
			return &upgradeError{exitBehind, "behind: " + res.Behind}
		}
		if err := res.WriteSummary(w, o.verbose); err != nil {
			return err
		}
		return unfinished(res, false)
	}
	res, err := upgrade.Run(cmd.Context(), opts)
	return report(w, res, err, o.dryRun, o.verbose)
}

// report writes what an upgrade or a change of targets did (the diff, on a
// dry run, and the summary), and returns the error its exit code is
// made from.
func report(w io.Writer, res *upgrade.Result, err error, dryRun, verbose bool) error {
	var serr *upgrade.SettingsError
	if errors.As(err, &serr) {
		return &upgradeError{exitSettings, serr.Error()}
	}
	if err != nil {
		return err
	}
	if dryRun {
		if _, err := w.Write(res.Diff); err != nil {
			return err
		}
	}
	if err := res.WriteSummary(w, verbose); err != nil {
		return err
	}
	return unfinished(res, dryRun)
}

// unfinished is the error, with its exit code, for what an upgrade left
// to the author; after --dry-run, what it would leave, to do once it is
// made.
func unfinished(res *upgrade.Result, dryRun bool) error {
	once := ""
	if dryRun {
		once = "once the upgrade is made, "
	}
	if files := res.Conflicts(); len(files) > 0 {
		what := "conflicts in " + strings.Join(files, ", ")
		if dryRun {
			what = "the upgrade would leave " + what
		}
		return &upgradeError{exitConflicts, fmt.Sprintf("%s: %sresolve the lines between <<<<<<< yours and >>>>>>> new, then run scaffold upgrade --check", what, once)}
	}
	if pending := res.Pending(); len(pending) > 0 {
		var fixes []string
		for _, c := range pending {
			fix := c.Fix
			if c.Release != "" && c.Release != res.Added {
				// A repository built for several releases: say whose.
				fix = res.To.Host.Name + " " + c.Release + ": " + fix
			}
			fixes = append(fixes, fix)
		}
		return &upgradeError{exitContract, fmt.Sprintf("%s %s changed the plugin contract: %s%s; then run scaffold upgrade --check", res.To.Host.Name, res.To.Host.Version, once, strings.Join(fixes, "; "))}
	}
	return nil
}
