package upgrade

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// WriteSummary writes what the upgrade did, or would do: the host and Go
// releases, the SDK and how many modules moved which way, the files by
// what happened to them, and the contract's changes with what is left to
// fix. verbose lists each module that moved.
func (r *Result) WriteSummary(out io.Writer, verbose bool) error {
	// Written whole at the end, so that a closed output is one error.
	w := new(bytes.Buffer)
	from, to := r.From, r.To
	verb := "upgraded"
	if r.DryRun {
		verb = "would upgrade"
	}
	switch {
	case r.Before != nil:
		r.writeTargets(w, verbose)
	case r.UpToDate:
		fmt.Fprintf(w, "%s is up to date with %s %s (Go %s, templates %s)\n", r.Name, to.Host.Name, to.Host.Version, to.Go, r.ToTemplates)
	default:
		// An upgrade to the templates alone keeps the release: it is not
		// shown as moving from itself to itself.
		fmt.Fprintf(w, "%s %s: %s %s\n", verb, r.Name, to.Host.Name, arrow(from.Host.Version, to.Host.Version))
		fmt.Fprintf(w, "  %-12s %s\n", "Go", arrow(from.Go, to.Go))
		if b, a := flags(from.Build), flags(to.Build); b != a {
			fmt.Fprintf(w, "  %-12s %s\n", "build", arrow(b, a))
		}
		fmt.Fprintf(w, "  %-12s %s\n", "templates", arrow(r.FromTemplates, r.ToTemplates))
		for _, a := range r.Answers {
			fmt.Fprintf(w, "  %-12s %s\n", "answer", a)
		}
		r.writeModules(w, verbose)
		for _, a := range actionOrder {
			paths := r.paths(a)
			if len(paths) == 0 && !always[a] {
				continue
			}
			fmt.Fprintf(w, "  %-12s %s\n", a, orNone(strings.Join(paths, " ")))
		}
	}
	if len(r.Settings) > 0 {
		fmt.Fprintf(w, "settings changed, as accepted:\n")
		writeSettings(w, r.Settings)
	}
	if r.UpToDate && len(r.Conflicts()) > 0 {
		fmt.Fprintf(w, "  conflict markers remain in %s\n", strings.Join(r.Conflicts(), " "))
	}
	switch {
	case len(r.Contract) > 0 && r.Added != "":
		fmt.Fprintf(w, "contract changes of %s %s from %s:\n", to.Host.Name, r.Added, r.AddedFrom)
	case len(r.Contract) > 0:
		fmt.Fprintf(w, "contract changes:\n")
	}
	for _, c := range r.Contract {
		r.writeChange(w, c)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	_, err := out.Write(w.Bytes())
	return err
}

// A moveKind is which way a module moved, and whether it is one of the
// host's.
type moveKind struct {
	host bool
	way  string // raised, lowered, added or removed
}

var ways = []string{"raised", "lowered", "added", "removed"}

// kind tells which way m moved, and whether the new or the old release
// builds the module.
func (r *Result) kind(m Move) moveKind {
	k := moveKind{host: r.To.Module(m.Path) != nil || r.From.Module(m.Path) != nil}
	switch {
	case m.Old == "":
		k.way = "added"
	case m.New == "":
		k.way = "removed"
	case semver.Compare(m.New, m.Old) > 0:
		k.way = "raised"
	default:
		k.way = "lowered"
	}
	return k
}

// writeModules writes the SDK's move and how many of the other
// requirements moved which way, the host's apart from the rest: a real
// host's plugin requires some tens of modules, and a line each would bury
// the files. verbose lists them, under their kind.
func (r *Result) writeModules(w io.Writer, verbose bool) {
	from, to := r.From.SDK, r.To.SDK
	if from.Module == to.Module {
		fmt.Fprintf(w, "  %-12s %s %s\n", "SDK", to.Module, arrow(from.Version, to.Version))
	} else {
		fmt.Fprintf(w, "  %-12s %s %s → %s %s\n", "SDK", from.Module, from.Version, to.Module, to.Version)
	}
	byKind := map[moveKind][]Move{}
	for _, m := range r.Modules {
		if m.Path == from.Module || m.Path == to.Module {
			continue
		}
		k := r.kind(m)
		byKind[k] = append(byKind[k], m)
	}
	if len(byKind) == 0 {
		fmt.Fprintf(w, "  %-12s none moved\n", "modules")
		return
	}
	var groups []string
	for _, host := range []bool{true, false} {
		var counts []string
		for _, way := range ways {
			if n := len(byKind[moveKind{host, way}]); n > 0 {
				counts = append(counts, fmt.Sprintf("%d %s", n, way))
			}
		}
		if len(counts) > 0 {
			groups = append(groups, fmt.Sprintf("%s: %s", hostOrOthers(host), strings.Join(counts, ", ")))
		}
	}
	more := ""
	if !verbose {
		more = " (--verbose lists them)"
	}
	fmt.Fprintf(w, "  %-12s %s%s\n", "modules", strings.Join(groups, "; "), more)
	if !verbose {
		return
	}
	for _, host := range []bool{true, false} {
		for _, way := range ways {
			for _, m := range byKind[moveKind{host, way}] {
				var v string
				switch way {
				case "added":
					v = m.New
				case "removed":
					v = m.Old
				default:
					v = m.Old + " → " + m.New
				}
				label := "other " + way
				if host {
					label = "host " + way
				}
				fmt.Fprintf(w, "  %-12s %-13s %s %s\n", "", label, m.Path, v)
			}
		}
	}
}

func hostOrOthers(host bool) string {
	if host {
		return "host"
	}
	return "others"
}

// writeSettings writes one line per changed setting.
func writeSettings(w io.Writer, changes []manifest.SettingChange) {
	for _, c := range changes {
		fmt.Fprintf(w, "  %-22s %s\n", c.Field, arrow(orNone(c.Old), orNone(c.New)))
	}
}

// always lists the file actions a summary shows even when no file had
// them, so that "none" can be read at a glance.
var always = map[Action]bool{Replaced: true, Merged: true, Conflicted: true, Added: true, KeptDeleted: true}

func (r *Result) writeChange(w io.Writer, c Change) {
	where := ""
	if c.At != "" {
		where = " (" + c.At + ")"
	}
	if c.Release != "" && c.Release != r.Added {
		// Of one of several releases, which the line names.
		c.Name = c.Release + " " + c.Name
	}
	switch {
	case c.Stub != "":
		fmt.Fprintf(w, "  %-8s %s %s: stub written to %s\n", c.Kind, c.Name, c.New, c.Stub)
	case r.UpToDate && c.At == "":
		fmt.Fprintf(w, "  %-8s %s\n", "missing", c.Name)
	case r.UpToDate:
		fmt.Fprintf(w, "  %-8s %s%s\n", "mismatch", c.Name, where)
	default:
		fmt.Fprintf(w, "  %-8s %s%s\n", c.Kind, c.Name, where)
	}
	if c.Stub == "" {
		if c.Old != "" {
			fmt.Fprintf(w, "           was   %s\n", c.Old)
		}
		if c.New != "" {
			fmt.Fprintf(w, "           now   %s\n", c.New)
		}
		if c.Have != "" && c.Have != c.New && c.Have != c.Old {
			fmt.Fprintf(w, "           yours %s\n", c.Have)
		}
	}
	switch {
	case c.Fix != "":
		fmt.Fprintf(w, "           fix:  %s\n", c.Fix)
	case c.Stub != "":
	case c.Kind == MemberRemoved:
		fmt.Fprintf(w, "           done: no implementation is left\n")
	default:
		fmt.Fprintf(w, "           done: %s implements it\n", c.At)
	}
}

func arrow(a, b string) string {
	if a == b {
		return a + " (unchanged)"
	}
	return a + " → " + b
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// flags writes the build settings a plugin must share with its host the
// way a go build line would.
func flags(b manifest.Build) string {
	var f []string
	if b.Trimpath {
		f = append(f, "-trimpath")
	}
	if b.Race {
		f = append(f, "-race")
	}
	if len(b.Tags) > 0 {
		f = append(f, "-tags="+strings.Join(b.Tags, ","))
	}
	if b.Gcflags != "" {
		f = append(f, "-gcflags="+b.Gcflags)
	}
	if b.Asmflags != "" {
		f = append(f, "-asmflags="+b.Asmflags)
	}
	if !b.CGO {
		f = append(f, "CGO_ENABLED=0")
	}
	if b.Goexperiment != "" {
		f = append(f, "GOEXPERIMENT="+b.Goexperiment)
	}
	f = append(f, b.GOOS+"/"+strings.Join(b.GOARCH, ","))
	if b.GOAMD64 != "" {
		f = append(f, "GOAMD64="+b.GOAMD64)
	}
	if b.GOMODCACHE != "" {
		f = append(f, "GOMODCACHE="+b.GOMODCACHE)
	}
	return strings.Join(f, " ")
}

// writeTargets writes the head of the summary of a change of the host
// releases a repository is built for: the releases before and after, the
// added release's Go release, SDK and module moves against the release it
// takes after, and the files by what happened to them.
func (r *Result) writeTargets(w io.Writer, verbose bool) {
	verb := "changed"
	if r.DryRun {
		verb = "would change"
	}
	host := r.To.Host.Name
	if r.UpToDate {
		fmt.Fprintf(w, "%s is built for %s %s (templates %s)\n", r.Name, host, strings.Join(r.After, " "), r.ToTemplates)
		return
	}
	fmt.Fprintf(w, "%s %s: %s %s → %s\n", verb, r.Name, host, strings.Join(r.Before, " "), strings.Join(r.After, " "))
	if r.Added != "" {
		fmt.Fprintf(w, "  %-12s %s, taking after %s\n", "added", r.Added, r.AddedFrom)
		fmt.Fprintf(w, "  %-12s %s\n", "Go", arrow(r.From.Go, r.To.Go))
		if b, a := flags(r.From.Build), flags(r.To.Build); b != a {
			fmt.Fprintf(w, "  %-12s %s\n", "build", arrow(b, a))
		}
		r.writeModules(w, verbose)
	}
	if len(r.Removed) > 0 {
		fmt.Fprintf(w, "  %-12s %s\n", "dropped", strings.Join(r.Removed, " "))
	}
	fmt.Fprintf(w, "  %-12s %s\n", "templates", arrow(r.FromTemplates, r.ToTemplates))
	for _, a := range actionOrder {
		paths := r.paths(a)
		if len(paths) == 0 && !always[a] {
			continue
		}
		fmt.Fprintf(w, "  %-12s %s\n", a, orNone(strings.Join(paths, " ")))
	}
}
