package merge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	for _, tc := range []struct {
		name               string
		base, ours, theirs string
		want               string
		conflicts          int
	}{
		{name: "nothing changed", base: "a\nb\n", ours: "a\nb\n", theirs: "a\nb\n", want: "a\nb\n"},
		{name: "theirs only", base: "a\nb\nc\n", ours: "a\nb\nc\n", theirs: "a\nB\nc\n", want: "a\nB\nc\n"},
		{name: "ours only", base: "a\nb\nc\n", ours: "a\nb\nc\nd\n", theirs: "a\nb\nc\n", want: "a\nb\nc\nd\n"},
		{
			name: "apart", base: "1\n2\n3\n4\n5\n6\n7\n",
			ours: "1\nONE\n2\n3\n4\n5\n6\n7\n", theirs: "1\n2\n3\n4\n5\nSIX\n7\n",
			want: "1\nONE\n2\n3\n4\n5\nSIX\n7\n",
		},
		{name: "same change", base: "a\nb\n", ours: "a\nx\n", theirs: "a\nx\n", want: "a\nx\n"},
		{name: "ours deletes, theirs keeps", base: "a\nb\nc\n", ours: "a\nc\n", theirs: "a\nb\nc\n", want: "a\nc\n"},
		{name: "empty base, both add the same", base: "", ours: "x\n", theirs: "x\n", want: "x\n"},
		{
			name: "collision", base: "a\nb\nc\n", ours: "a\nmine\nc\n", theirs: "a\ntheirs\nc\n",
			want:      "a\n<<<<<<< yours\nmine\n||||||| generated\nb\n=======\ntheirs\n>>>>>>> new\nc\n",
			conflicts: 1,
		},
		{
			name: "adjacent lines collide", base: "a\nb\nc\nd\n", ours: "a\nB\nc\nd\n", theirs: "a\nb\nC\nd\n",
			want:      "a\n<<<<<<< yours\nB\nc\n||||||| generated\nb\nc\n=======\nb\nC\n>>>>>>> new\nd\n",
			conflicts: 1,
		},
		{
			name: "edit against delete", base: "a\nb\nc\n", ours: "a\nB\nc\n", theirs: "a\nc\n",
			want:      "a\n<<<<<<< yours\nB\n||||||| generated\nb\n=======\n>>>>>>> new\nc\n",
			conflicts: 1,
		},
		{
			name: "no final newline", base: "a\nb", ours: "a\nmine", theirs: "a\ntheirs",
			want:      "a\n<<<<<<< yours\nmine\n||||||| generated\nb\n=======\ntheirs\n>>>>>>> new\n",
			conflicts: 1,
		},
		{
			name: "both append", base: "a\n", ours: "a\nmine\n", theirs: "a\ntheirs\n",
			want:      "a\n<<<<<<< yours\nmine\n||||||| generated\n=======\ntheirs\n>>>>>>> new\n",
			conflicts: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Merge([]byte(tc.base), []byte(tc.ours), []byte(tc.theirs), DefaultLabels)
			if string(r.Data) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", r.Data, tc.want)
			}
			if r.Conflicts != tc.conflicts {
				t.Errorf("got %d conflicts, want %d", r.Conflicts, tc.conflicts)
			}
			if got := HasConflicts(r.Data, DefaultLabels); got != (tc.conflicts > 0) {
				t.Errorf("HasConflicts = %v, want %v", got, tc.conflicts > 0)
			}
		})
	}
}

// edit changes random places of lines: inserted lines are tagged with
// who, so that the test can find them again.
func edit(r *rand.Rand, lines []string, who string, n int) (out []string, inserted []string) {
	out = append([]string(nil), lines...)
	for i := 0; i < n; i++ {
		p := r.Intn(len(out) + 1)
		switch r.Intn(3) {
		case 0:
			l := fmt.Sprintf("%s %d\n", who, i)
			out = append(out[:p], append([]string{l}, out[p:]...)...)
		case 1:
			if p < len(out) {
				out = append(out[:p], out[p+1:]...)
			}
		default:
			if p < len(out) {
				out[p] = fmt.Sprintf("%s %d (was %s)\n", who, i, strings.TrimSpace(out[p]))
			}
		}
	}
	// A later edit may have removed an earlier one's line.
	for _, l := range out {
		if strings.HasPrefix(l, who+" ") {
			inserted = append(inserted, l)
		}
	}
	return out, inserted
}

func count(lines []string) map[string]int {
	m := map[string]int{}
	for _, l := range lines {
		m[l]++
	}
	return m
}

// TestMergeKeepsEveryLine merges random edits of random texts: every line
// either side inserted is in the result (in a conflict or not), the
// result has conflicts exactly when markers are left, and merging with an
// unchanged side gives the other side.
func TestMergeKeepsEveryLine(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	clean := 0
	for i := 0; i < 3000; i++ {
		base := randomLines(r, r.Intn(40), 8)
		for j := range base {
			base[j] = fmt.Sprintf("%d %s", j, base[j]) // mostly distinct, like source
		}
		ours, oursNew := edit(r, base, "ours", r.Intn(5))
		theirs, theirsNew := edit(r, base, "theirs", r.Intn(5))
		join := func(l []string) []byte { return []byte(strings.Join(l, "")) }
		res := Merge(join(base), join(ours), join(theirs), DefaultLabels)
		got := count(Lines(res.Data))
		for _, l := range oursNew {
			if got[l] == 0 {
				t.Fatalf("case %d: ours inserted %q, the merge lost it:\n%s", i, l, res.Data)
			}
		}
		if res.Conflicts == 0 {
			clean++
			for _, l := range theirsNew {
				if got[l] == 0 {
					t.Fatalf("case %d: a clean merge lost %q, which theirs inserted:\n%s", i, l, res.Data)
				}
			}
		}
		if HasConflicts(res.Data, DefaultLabels) != (res.Conflicts > 0) {
			t.Fatalf("case %d: %d conflicts, but HasConflicts says otherwise:\n%s", i, res.Conflicts, res.Data)
		}
		if m := Merge(join(base), join(base), join(theirs), DefaultLabels); string(m.Data) != string(join(theirs)) || m.Conflicts > 0 {
			t.Fatalf("case %d: merge with unchanged ours is not theirs", i)
		}
		if m := Merge(join(base), join(ours), join(base), DefaultLabels); string(m.Data) != string(join(ours)) || m.Conflicts > 0 {
			t.Fatalf("case %d: merge with unchanged theirs is not ours", i)
		}
		if m := Merge(join(base), join(ours), join(ours), DefaultLabels); string(m.Data) != string(join(ours)) || m.Conflicts > 0 {
			t.Fatalf("case %d: merge of equal sides is not that side", i)
		}
	}
	if clean < 300 || clean > 2700 {
		t.Errorf("%d of 3000 merges were clean: the cases do not exercise both outcomes", clean)
	}
}

// BenchmarkMerge merges two edits of a 2,000-line file.
func BenchmarkMerge(b *testing.B) {
	r := rand.New(rand.NewSource(3))
	base := make([]string, 2000)
	for i := range base {
		base[i] = fmt.Sprintf("line %d\n", i)
	}
	ours, _ := edit(r, base, "ours", 40)
	theirs, _ := edit(r, base, "theirs", 40)
	bs, os, ts := []byte(strings.Join(base, "")), []byte(strings.Join(ours, "")), []byte(strings.Join(theirs, ""))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Merge(bs, os, ts, DefaultLabels)
	}
}

// TestMergeLongDifferentText: an author's file, or a lock's copy of the
// generated one, may be megabytes unlike the other sides. The search for
// the longest match stops at its limit of steps, rather than taking time
// as the square of the length;
// what it matched is still a common subsequence, in order, and the merge
// loses no line of either side.
func TestMergeLongDifferentText(t *testing.T) {
	var base strings.Builder
	for i := range 300 {
		fmt.Fprintf(&base, "line %d\n", i)
	}
	ours := strings.Repeat("x\n", 400000) + "line 299\n"
	theirs := base.String() + "new\n"

	a, b := Lines([]byte(base.String())), Lines([]byte(ours))
	d := newDiffer(a, b)
	d.lcs(0, len(a), 0, len(b))
	if d.work <= workLimit {
		t.Fatalf("the search took %d steps, within its limit of %d: the texts do not test it", d.work, workLimit)
	}
	for i, p := range d.out {
		if a[p.A] != b[p.B] || i > 0 && (p.A <= d.out[i-1].A || p.B <= d.out[i-1].B) {
			t.Fatalf("pair %d, %v, is not of equal lines in order", i, p)
		}
	}

	res := Merge([]byte(base.String()), []byte(ours), []byte(theirs), DefaultLabels)
	if !strings.Contains(string(res.Data), strings.Repeat("x\n", 400000)) {
		t.Error("the merge lost lines of ours")
	}
	if !strings.Contains(string(res.Data), "new\n") {
		t.Error("the merge lost the line theirs added")
	}
}
