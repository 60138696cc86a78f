package merge

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a\n"}},
		{"a\nb", []string{"a\n", "b"}},
		{"a\n\nb\n", []string{"a\n", "\n", "b\n"}},
	} {
		if got := Lines([]byte(tc.in)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Lines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// lcsLength is the textbook dynamic program, the oracle for Matches.
func lcsLength(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func randomLines(r *rand.Rand, n, alphabet int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("%c\n", 'a'+r.Intn(alphabet))
	}
	return lines
}

// checkMatches fails unless pairs is a common subsequence of a and b as
// long as the longest.
func checkMatches(t *testing.T, a, b []string, pairs []Pair) {
	t.Helper()
	for i, p := range pairs {
		if p.A < 0 || p.A >= len(a) || p.B < 0 || p.B >= len(b) || a[p.A] != b[p.B] {
			t.Fatalf("pair %d %v does not match equal lines of %q and %q", i, p, a, b)
		}
		if i > 0 && (p.A <= pairs[i-1].A || p.B <= pairs[i-1].B) {
			t.Fatalf("pairs %v and %v are out of order", pairs[i-1], p)
		}
	}
	if want := lcsLength(a, b); len(pairs) != want {
		t.Fatalf("Matches(%q, %q) found %d pairs, the longest common subsequence has %d", a, b, len(pairs), want)
	}
}

// TestMatchesLongest compares Matches with the dynamic program on random
// texts: short ones over few symbols (many ties, the hard cases for the
// middle snake), and longer ones that are edits of each other.
func TestMatchesLongest(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 5000; i++ {
		a := randomLines(r, r.Intn(12), 1+r.Intn(4))
		b := randomLines(r, r.Intn(12), 1+r.Intn(4))
		checkMatches(t, a, b, Matches(a, b))
	}
	for i := 0; i < 200; i++ {
		a := randomLines(r, 50+r.Intn(300), 20)
		b := append([]string(nil), a...)
		for e := r.Intn(40); e > 0; e-- {
			p := r.Intn(len(b) + 1)
			switch r.Intn(3) {
			case 0:
				b = append(b[:p], append([]string{fmt.Sprintf("new %d\n", e)}, b[p:]...)...)
			case 1:
				if p < len(b) {
					b = append(b[:p], b[p+1:]...)
				}
			default:
				if p < len(b) {
					b[p] = "changed\n"
				}
			}
		}
		checkMatches(t, a, b, Matches(a, b))
	}
}

func TestMatchesEdges(t *testing.T) {
	lines := func(s string) []string { return Lines([]byte(s)) }
	for _, tc := range []struct{ a, b string }{
		{"", ""},
		{"a\n", ""},
		{"", "a\n"},
		{"a\nb\nc\n", "a\nb\nc\n"},
		{"a\nb\nc\n", "x\ny\nz\n"},
		{strings.Repeat("a\n", 100), strings.Repeat("a\n", 99)},
		{"a\nb\n", "a\nb"},
	} {
		checkMatches(t, lines(tc.a), lines(tc.b), Matches(lines(tc.a), lines(tc.b)))
	}
}
