// Package merge compares texts line by line and merges them: the longest
// common subsequence of two texts' lines (Myers' O(ND) algorithm in linear
// space), and the three-way merge of two texts that both started from a
// common base, with git-style conflict markers where their changes collide.
//
// A generated file that both its author and a newer template changed is
// merged here: the author's lines are never dropped, only set beside the
// template's where both touched the same place.
package merge

import "bytes"

// Lines splits data into lines, each ending in its newline; a last line
// without one is kept as it is.
func Lines(data []byte) []string {
	var lines []string
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, string(data))
			break
		}
		lines = append(lines, string(data[:i+1]))
		data = data[i+1:]
	}
	return lines
}

// A Pair matches line A of one text with the equal line B of another.
type Pair struct{ A, B int }

// Matches returns the pairs of equal lines of a longest common subsequence
// of a and b, in increasing order of both indexes. Every line of a and b
// not in a pair was deleted or inserted by a shortest edit script.
//
// Texts so different that the search would take more than workLimit steps
// get a common subsequence that may not be the longest: the lines left
// unmatched where the search stopped count as changed.
func Matches(a, b []string) []Pair {
	d := newDiffer(a, b)
	d.lcs(0, len(a), 0, len(b))
	return d.out
}

// newDiffer interns the lines of a and b as numbers, so that the search
// compares numbers, and makes room for its paths.
func newDiffer(a, b []string) *differ {
	ids := map[string]int{}
	intern := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	d := &differ{a: intern(a), b: intern(b)}
	n := len(a) + len(b) + 4 // 2*max+3, max = (len(a)+len(b)+1)/2
	d.vf, d.vb = make([]int, n), make([]int, n)
	return d
}

// A differ finds a longest common subsequence by divide and conquer on
// middle snakes: memory grows with the texts' length, not with the square
// of their difference.
type differ struct {
	a, b   []int
	vf, vb []int
	out    []Pair
	// work counts the steps of the search so far.
	work int
}

// workLimit bounds the steps of the search through two texts. The search
// takes steps as the product of the texts' length and their difference:
// a repository's file of 160,000 lines, set against the few hundred of
// the file as generated, took half a minute, and the time grows as the
// square of the length. Measured, a file of 1,000 lines with 200 of them
// changed takes about a thousandth of the limit, and two texts of 5,000
// lines with none in common 0.37 of it: texts of some 8,000 lines with
// none in common reach it. Past it, merging the lines left unmatched
// gives conflicts where a longer match would not, and never loses a line.
const workLimit = 1 << 26

func (d *differ) lcs(a0, a1, b0, b1 int) {
	for a0 < a1 && b0 < b1 && d.a[a0] == d.b[b0] {
		d.out = append(d.out, Pair{a0, b0})
		a0++
		b0++
	}
	suffix := 0
	for a1 > a0 && b1 > b0 && d.a[a1-1] == d.b[b1-1] {
		a1--
		b1--
		suffix++
	}
	if a0 < a1 && b0 < b1 {
		if x, y, u, v, ok := d.middleSnake(a0, a1, b0, b1); ok {
			d.lcs(a0, x, b0, y)
			for i := 0; i < u-x; i++ {
				d.out = append(d.out, Pair{x + i, y + i})
			}
			d.lcs(u, a1, v, b1)
		}
	}
	for i := 0; i < suffix; i++ {
		d.out = append(d.out, Pair{a1 + i, b1 + i})
	}
}

// middleSnake returns the middle snake of a shortest edit script between
// a[a0:a1] and b[b0:b1], from (x, y) to (u, v), found by running the
// search from both ends until the two meet (Myers 1986, section 4b). ok is
// false when the search has taken workLimit steps before it found one.
func (d *differ) middleSnake(a0, a1, b0, b1 int) (x, y, u, v int, ok bool) {
	n, m := a1-a0, b1-b0
	delta := n - m
	odd := delta&1 != 0
	max := (n + m + 1) / 2
	off := max + 1
	vf, vb := d.vf[:2*max+3], d.vb[:2*max+3]
	vf[off+1], vb[off+1] = 0, 0
	for e := 0; e <= max; e++ {
		// Forward: the furthest x reached on each diagonal k = x-y.
		for k := -e; k <= e; k += 2 {
			var x int
			if k == -e || (k != e && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < m && d.a[a0+x] == d.b[b0+y] {
				x++
				y++
			}
			vf[off+k] = x
			if kr := delta - k; odd && kr >= -(e-1) && kr <= e-1 && x+vb[off+kr] >= n {
				return a0 + sx, b0 + sy, a0 + x, b0 + y, true
			}
			if d.work += 1 + x - sx; d.work > workLimit {
				return 0, 0, 0, 0, false
			}
		}
		// Backward, counted from the ends of both texts.
		for k := -e; k <= e; k += 2 {
			var x int
			if k == -e || (k != e && vb[off+k-1] < vb[off+k+1]) {
				x = vb[off+k+1]
			} else {
				x = vb[off+k-1] + 1
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < m && d.a[a1-1-x] == d.b[b1-1-y] {
				x++
				y++
			}
			vb[off+k] = x
			if kf := delta - k; !odd && kf >= -e && kf <= e && x+vf[off+kf] >= n {
				return a0 + n - x, b0 + m - y, a0 + n - sx, b0 + m - sy, true
			}
			if d.work += 1 + x - sx; d.work > workLimit {
				return 0, 0, 0, 0, false
			}
		}
	}
	panic("merge: no middle snake") // a shortest edit script has one
}
