package merge

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzMerge merges random texts: the merge never panics, a side that
// changed nothing gives the other side exactly, equal sides give
// themselves, and every line either side added is in the result.
func FuzzMerge(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nB\nc\n"), []byte("a\nb\nC\n"))
	f.Add([]byte("a\nb"), []byte("a\nmine"), []byte("a\ntheirs"))
	f.Add([]byte(""), []byte("x\n"), []byte("y\n"))
	f.Add([]byte("1\n2\n3\n4\n"), []byte("<<<<<<< yours\n=======\n>>>>>>> new\n"), []byte("1\n3\n"))
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		r := Merge(base, ours, theirs, DefaultLabels)
		if bytes.Equal(ours, base) && !bytes.Equal(r.Data, theirs) {
			t.Fatalf("ours unchanged: got %q, want theirs %q", r.Data, theirs)
		}
		if bytes.Equal(theirs, base) && !bytes.Equal(r.Data, ours) {
			t.Fatalf("theirs unchanged: got %q, want ours %q", r.Data, ours)
		}
		if bytes.Equal(ours, theirs) && (!bytes.Equal(r.Data, ours) || r.Conflicts != 0) {
			t.Fatalf("equal sides: got %q with %d conflicts, want %q", r.Data, r.Conflicts, ours)
		}
		if r.Conflicts < 0 {
			t.Fatalf("%d conflicts", r.Conflicts)
		}
		// No line is lost: every line of either side is in the result,
		// as often as that side has it more than the base does.
		got := count(Lines(r.Data))
		for _, side := range [][]byte{ours, theirs} {
			want, had := count(Lines(side)), count(Lines(base))
			for line, n := range want {
				key := strings.TrimSuffix(line, "\n")
				if n > had[line] && got[line]+got[key]+got[key+"\n"] == 0 {
					t.Fatalf("line %q of a side is lost: merge of %q, %q, %q gave %q", line, base, ours, theirs, r.Data)
				}
			}
		}
	})
}
