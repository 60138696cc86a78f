// Package gitignore tells which paths of a repository its .gitignore files
// leave out, as git reads them: build outputs and other files no one
// commits, which a tool reading a repository's sources has no business
// opening.
//
// The pattern syntax is git's (gitignore(5)): blank lines and lines
// starting with # are skipped; ! negates; a trailing / matches
// directories only; a pattern with a / before its end is anchored to the
// directory of its .gitignore, one without matches a name at any depth;
// *, ? and [...] match within one path element and ** across them, as a
// leading **/, a trailing /** or a /**/ in between; \ quotes the next
// character. The last pattern that matches decides, the patterns of a
// deeper .gitignore after those above it. As in git, nothing under an
// ignored directory can be included again: a caller walks the tree from
// the top and does not enter a directory [Rules.Ignored] reports.
package gitignore

import (
	"bytes"
	"regexp"
	"strings"
)

// Rules are the patterns of the .gitignore files read so far.
type Rules struct {
	patterns []pattern
}

// A pattern is one line of a .gitignore.
type pattern struct {
	// dir is the directory of the .gitignore the pattern is from, "" for
	// the repository's top.
	dir     string
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
}

// Add reads the patterns of the .gitignore in dir (slash-separated,
// relative to the top; "" or "." for the top), which apply to the paths
// under dir after those added before. Lines that are no valid pattern
// (a lone !) are skipped, as git skips them.
func (r *Rules) Add(dir string, data []byte) {
	if dir == "." {
		dir = ""
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if p, ok := parse(string(line)); ok {
			p.dir = dir
			r.patterns = append(r.patterns, p)
		}
	}
}

// Ignored reports whether the path p (slash-separated, relative to the
// top), a directory when dir is set, is ignored by the patterns of the
// .gitignore files above it. Whether a directory above p is ignored is
// the caller's to ask first.
func (r *Rules) Ignored(p string, dir bool) bool {
	ignored := false
	for _, pat := range r.patterns {
		rel := p
		if pat.dir != "" {
			var ok bool
			if rel, ok = strings.CutPrefix(p, pat.dir+"/"); !ok {
				continue
			}
		}
		if pat.dirOnly && !dir {
			continue
		}
		if pat.re.MatchString(rel) {
			ignored = !pat.negate
		}
	}
	return ignored
}

// parse reads one line of a .gitignore.
func parse(line string) (pattern, bool) {
	line = strings.TrimSuffix(line, "\r")
	line = trimTrailingSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return pattern{}, false
	}
	var p pattern
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") && !strings.HasSuffix(line, `\/`) {
		p.dirOnly = true
		line = strings.TrimRight(line, "/")
	}
	if line == "" {
		return pattern{}, false
	}
	anchored := strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	expr := translate(line)
	if !anchored {
		// A name, at any depth.
		expr = "(?:.*/)?" + expr
	}
	re, err := regexp.Compile("^" + expr + "$")
	if err != nil {
		return pattern{}, false
	}
	p.re = re
	return p, true
}

// trimTrailingSpace drops the spaces that end line, but one quoted with a
// backslash.
func trimTrailingSpace(line string) string {
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
		line = line[:len(line)-1]
	}
	return line
}

// translate writes a glob of path elements as a regular expression.
func translate(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case strings.HasPrefix(glob[i:], "**/") && (i == 0 || glob[i-1] == '/'):
			// Any directories, none included.
			b.WriteString("(?:.*/)?")
			i += 2
		case glob[i:] == "**" && i > 0 && glob[i-1] == '/':
			// Everything inside.
			b.WriteString(".*")
			i++
		case c == '*':
			// One element's characters; a ** elsewhere is two of them.
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			class, n := bracket(glob[i:])
			if n == 0 {
				b.WriteString(`\[`)
				continue
			}
			b.WriteString(class)
			i += n - 1
		case c == '\\' && i+1 < len(glob):
			i++
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// bracket translates the character class that starts s, and says how
// many bytes of s it took; 0 when s holds no closed class, whose [ is
// then an ordinary character.
func bracket(s string) (string, int) {
	i := 1
	var b strings.Builder
	b.WriteString("[")
	if i < len(s) && (s[i] == '!' || s[i] == '^') {
		// Nor does a negated class match a separator.
		b.WriteString("^/")
		i++
	}
	first := i
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ']' && i > first:
			b.WriteString("]")
			return b.String(), i + 1
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteString(regexp.QuoteMeta(s[i : i+1]))
		case c == '-':
			b.WriteString("-")
		case c == '/':
			// No class matches a separator.
			return "", 0
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return "", 0
}
