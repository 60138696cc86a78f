// Package nearest finds the name someone most likely meant when they wrote
// one that does not exist: a mistyped flag, a misspelt manifest field.
package nearest

import "strings"

// Name returns the candidate closest to typed: one typed starts (given at
// least two characters), or one within a third of its length in edits (at
// least one, at most three). Of equally close ones it returns the first in
// lexical order, so the answer does not depend on the candidates' order;
// "" when none is close.
func Name(typed string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		d := distance(typed, c)
		if strings.HasPrefix(c, typed) && len(typed) >= 2 {
			d = min(d, 1)
		}
		if limit := min(max(len(c)/3, 1), 3); d > limit {
			continue
		}
		if best == "" || d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the edit distance between a and b, a swap of two adjacent
// characters counting as one edit, as it is the commonest slip of the
// fingers (the optimal string alignment distance). It counts bytes: flag
// and field names are ASCII.
func distance(a, b string) int {
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
