package manifest

import (
	"fmt"
	"strings"
)

// A Problem is one thing wrong with a manifest.
type Problem struct {
	// Path is the field, as "build.tags[1]"; empty for the whole document.
	Path string
	// Line is the line in the manifest file, or 0 when unknown.
	Line int
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in one manifest. A manifest is checked
// whole, so that its author can fix everything in one round.
type Problems struct {
	File string
	// Kind names what File is: "manifest" when empty, or "base file".
	Kind string
	List []Problem
}

func (e *Problems) Error() string {
	prefix := e.Kind
	if prefix == "" {
		prefix = "manifest"
	}
	if e.File != "" {
		prefix += " " + e.File
	}
	if len(e.List) == 1 {
		return prefix + ": " + e.List[0].String()
	}
	lines := make([]string, len(e.List))
	for i, p := range e.List {
		lines[i] = "\t" + p.String()
	}
	return fmt.Sprintf("%s: %d problems:\n%s", prefix, len(e.List), strings.Join(lines, "\n"))
}
