package merge

import (
	"bytes"
	"strings"
)

// Labels name the three sides in conflict markers.
type Labels struct {
	Ours, Base, Theirs string
}

// DefaultLabels name the sides of an upgrade: the author's file, the file
// as it was generated, and the file the new release generates.
var DefaultLabels = Labels{Ours: "yours", Base: "generated", Theirs: "new"}

// A Result is a merged text.
type Result struct {
	Data []byte
	// Conflicts counts the places where both sides changed the same lines
	// differently; each is written between conflict markers.
	Conflicts int
}

// Merge merges the changes ours and theirs made to base (diff3). Where only
// one side changed a run of lines, that side's lines are taken; where both
// made the same change, it is taken once; where they differ, both are kept
// between markers, with the base between them:
//
//	<<<<<<< yours
//	the author's lines
//	||||||| generated
//	the base's lines
//	=======
//	the new lines
//	>>>>>>> new
//
// Changes on adjacent lines collide, as they do in git.
func Merge(base, ours, theirs []byte, l Labels) Result {
	b, o, t := Lines(base), Lines(ours), Lines(theirs)
	mo := matchIndex(len(b), Matches(b, o))
	mt := matchIndex(len(b), Matches(b, t))
	var r Result
	var out bytes.Buffer
	ib, io, it := 0, 0, 0
	for {
		// Lines all three hold in step.
		for ib < len(b) && mo[ib] == io && mt[ib] == it {
			out.WriteString(b[ib])
			ib, io, it = ib+1, io+1, it+1
		}
		if ib == len(b) && io == len(o) && it == len(t) {
			break
		}
		// The next base line both sides kept ends the unstable run.
		next := ib
		for next < len(b) && (mo[next] < 0 || mt[next] < 0) {
			next++
		}
		eo, et := len(o), len(t)
		if next < len(b) {
			eo, et = mo[next], mt[next]
		}
		r.resolve(&out, b[ib:next], o[io:eo], t[it:et], l)
		ib, io, it = next, eo, et
	}
	r.Data = out.Bytes()
	return r
}

// matchIndex maps each line of a text of n lines to its partner in pairs,
// or -1.
func matchIndex(n int, pairs []Pair) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = -1
	}
	for _, p := range pairs {
		idx[p.A] = p.B
	}
	return idx
}

func (r *Result) resolve(out *bytes.Buffer, base, ours, theirs []string, l Labels) {
	switch {
	case equal(ours, base):
		writeLines(out, theirs, false)
	case equal(theirs, base), equal(ours, theirs):
		writeLines(out, ours, false)
	default:
		r.Conflicts++
		out.WriteString("<<<<<<< " + l.Ours + "\n")
		writeLines(out, ours, true)
		out.WriteString("||||||| " + l.Base + "\n")
		writeLines(out, base, true)
		out.WriteString("=======\n")
		writeLines(out, theirs, true)
		out.WriteString(">>>>>>> " + l.Theirs + "\n")
	}
}

// writeLines writes lines; inside conflict markers a last line without a
// newline gets one, so that the marker after it stays on a line of its own.
func writeLines(out *bytes.Buffer, lines []string, terminate bool) {
	for _, s := range lines {
		out.WriteString(s)
	}
	if terminate && len(lines) > 0 && !strings.HasSuffix(lines[len(lines)-1], "\n") {
		out.WriteByte('\n')
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// HasConflicts tells whether data holds a conflict marked with l's labels,
// as a merge leaves it until someone resolves it.
func HasConflicts(data []byte, l Labels) bool {
	state := 0 // 1: after the opening marker, 2: after the separator
	for _, line := range Lines(data) {
		switch strings.TrimRight(line, "\r\n") {
		case "<<<<<<< " + l.Ours:
			state = 1
		case "=======":
			if state == 1 {
				state = 2
			}
		case ">>>>>>> " + l.Theirs:
			if state == 2 {
				return true
			}
		}
	}
	return false
}
