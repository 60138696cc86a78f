package target

import (
	"errors"
	"fmt"
	"go/build/constraint"
	"slices"
	"strings"
)

// Expr is the build constraint that selects exactly the releases of set
// (a subset of l's versions) among l's builds, or "" when set holds them
// all: the other releases' tags negated when set holds the newest, whose
// build has no tag of its own; else an "or" of set's tags.
func (l List) Expr(set []string) string {
	if len(set) == len(l.Versions) {
		return ""
	}
	var x constraint.Expr
	join := func(y constraint.Expr, and bool) {
		switch {
		case x == nil:
			x = y
		case and:
			x = &constraint.AndExpr{X: x, Y: y}
		default:
			x = &constraint.OrExpr{X: x, Y: y}
		}
	}
	if slices.Contains(set, l.Newest()) {
		for _, v := range l.Versions {
			if !slices.Contains(set, v) {
				join(&constraint.NotExpr{X: &constraint.TagExpr{Tag: l.Tag(v)}}, true)
			}
		}
	} else {
		for _, v := range l.Versions {
			if slices.Contains(set, v) {
				join(&constraint.TagExpr{Tag: l.Tag(v)}, false)
			}
		}
	}
	if x == nil {
		return ""
	}
	return x.String()
}

// Builds lists the releases whose builds satisfy x. ok is false when x
// names a tag that is no release tag of l or of other, whose value a
// build's other settings decide: such a constraint is the author's to
// keep right.
func (l List) Builds(x constraint.Expr, other ...List) (set []string, ok bool) {
	known := map[string]bool{}
	for _, list := range append([]List{l}, other...) {
		for _, v := range list.Versions {
			known[list.Tag(v)] = true
		}
	}
	ok = true
	x.Eval(func(tag string) bool {
		ok = ok && known[tag]
		return false
	})
	if !ok {
		return nil, false
	}
	for _, v := range l.Versions {
		tags := l.Tags(v)
		if x.Eval(func(tag string) bool { return slices.Contains(tags, tag) }) {
			set = append(set, v)
		}
	}
	return set, true
}

// A Header is a Go file's build constraint, as found in the lines before
// its package clause.
type Header struct {
	// Expr is the //go:build line's expression; nil when there is none.
	Expr constraint.Expr
	// Line is the //go:build line's index among the file's lines; -1 when
	// there is none.
	Line int
	// PlusBuild tells whether the file also has // +build lines, which a
	// rewrite of the //go:build line alone would contradict.
	PlusBuild bool
}

// ReadHeader reads a Go file's build constraint.
func ReadHeader(src []byte) (Header, error) {
	h := Header{Line: -1}
lines:
	for i, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case constraint.IsGoBuild(line):
			if h.Expr != nil {
				return h, errors.New("more than one //go:build line")
			}
			x, err := constraint.Parse(line)
			if err != nil {
				return h, err
			}
			h.Expr, h.Line = x, i
			continue
		case constraint.IsPlusBuild(line):
			h.PlusBuild = true
			continue
		case strings.HasPrefix(line, "//"):
			continue
		}
		break lines
	}
	return h, nil
}

// Retag gives a Go file the build constraint expr: its //go:build line is
// replaced by one of expr, or, when expr is "", removed with the blank
// line after it; a file without one gets one at its top.
func Retag(src []byte, expr string) ([]byte, error) {
	h, err := ReadHeader(src)
	if err != nil {
		return nil, err
	}
	if h.PlusBuild {
		return nil, errors.New("it has // +build lines besides //go:build")
	}
	lines := strings.SplitAfter(string(src), "\n")
	switch {
	case h.Line < 0 && expr == "":
		return src, nil
	case h.Line < 0:
		return slices.Concat([]byte("//go:build "+expr+"\n\n"), src), nil
	case expr != "":
		lines[h.Line] = "//go:build " + expr + "\n"
	default:
		end := h.Line + 1
		if end < len(lines) && strings.TrimSpace(lines[end]) == "" {
			end++
		}
		lines = slices.Delete(lines, h.Line, end)
	}
	return []byte(strings.Join(lines, "")), nil
}

// Release finds the releases a Go file of the repository builds for,
// reading its //go:build line against l (and the releases of other, whose
// tags it may still name). A file without one builds for every release.
func (l List) Release(name string, src []byte, other ...List) (set []string, rewritable bool, err error) {
	h, err := ReadHeader(src)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", name, err)
	}
	if h.Expr == nil {
		return slices.Clone(l.Versions), !h.PlusBuild, nil
	}
	set, ok := l.Builds(h.Expr, other...)
	if !ok {
		return nil, false, nil
	}
	return set, !h.PlusBuild, nil
}

// Line is the //go:build line of expr, with its newline, or nothing for
// "".
func Line(expr string) []byte {
	if expr == "" {
		return nil
	}
	return []byte("//go:build " + expr + "\n")
}
