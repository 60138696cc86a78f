// Package printable makes text from files safe to show on a terminal.
// Manifests, base files, lock files, a repository's files and a binary's
// build information all reach scaffold's messages; an escape sequence in
// any of them, printed raw, could retitle the window, rewrite what is on
// the screen, or make a line read unlike it is. Every control character
// but tab and newline, every bidirectional formatting character and every
// byte that is not UTF-8 is written as a Go-style escape instead, and a
// value too long to read is cut.
package printable

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// String returns s with what a terminal would act on escaped: control
// characters (tab and newline excepted), bidirectional formatting
// characters, line and paragraph separators, and invalid UTF-8.
func String(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

func clean(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unsafeRune(r) {
			return false
		}
	}
	return true
}

func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r >= 0x200e && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x061c:
		return true // bidirectional formatting
	case r == 0x2028 || r == 0x2029:
		return true // line and paragraph separators
	}
	return false
}

// Cut shortens s to about max bytes, saying how much was left out, on a
// rune boundary.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:i], len(s)-i)
}

// MessageLine and MessageLines bound an error message: a line longer than
// MessageLine bytes is cut, and lines past MessageLines are counted, not
// shown.
const (
	MessageLine  = 1000
	MessageLines = 60
)

// Message makes an error message printable: escaped, each line cut, and
// at most MessageLines lines.
func Message(msg string) string {
	lines := strings.Split(msg, "\n")
	more := 0
	if len(lines) > MessageLines {
		more = len(lines) - MessageLines
		lines = lines[:MessageLines]
	}
	for i, l := range lines {
		lines[i] = String(Cut(l, MessageLine))
	}
	if more > 0 {
		lines = append(lines, fmt.Sprintf("\t… (%d more lines)", more))
	}
	return strings.Join(lines, "\n")
}

// A Writer escapes what is written through it as [String] does.
type Writer struct {
	w       io.Writer
	pending []byte // the start of a UTF-8 sequence the next write completes
	// colours lets SGR sequences through (see [NewColourWriter]).
	colours bool
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// NewColourWriter returns a Writer that lets SGR sequences through as they
// are and escapes everything else as [String] does. An SGR sequence (ESC
// [ parameters m: Select Graphic Rendition) sets colours and text
// attributes and nothing else, so a program's own log, coloured for a
// terminal, can be shown there in colour; a sequence that moves the
// cursor, clears the screen or retitles the window is still written as an
// escape.
func NewColourWriter(w io.Writer) *Writer { return &Writer{w: w, colours: true} }

// Underlying returns the writer w writes to, for output that is data, not
// a message: a manifest written to standard output.
func (w *Writer) Underlying() io.Writer { return w.w }

// Write escapes p and writes it. A UTF-8 sequence split between two
// writes is held back until the second.
func (w *Writer) Write(p []byte) (int, error) {
	data := append(w.pending, p...)
	w.pending = nil
	// Hold back an incomplete sequence at the end, if it can still be
	// completed.
	k := incomplete(data)
	if w.colours {
		k = max(k, incompleteSGR(data))
	}
	if k > 0 {
		w.pending = append([]byte(nil), data[len(data)-k:]...)
		data = data[:len(data)-k]
	}
	if _, err := io.WriteString(w.w, w.escape(string(data))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// escape escapes s as [String] does, but for the SGR sequences of a
// colour writer.
func (w *Writer) escape(s string) string {
	if !w.colours {
		return String(s)
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, esc)
		if i < 0 {
			b.WriteString(String(s))
			return b.String()
		}
		n := sgrLen(s[i:])
		if n == 0 {
			// Not SGR: the ESC is escaped, and what follows it is
			// text like any other.
			b.WriteString(String(s[:i+1]))
			s = s[i+1:]
			continue
		}
		b.WriteString(String(s[:i]))
		b.WriteString(s[i : i+n])
		s = s[i+n:]
	}
}

const esc = 0x1b

// maxSGR bounds the parameters of an SGR sequence let through; a longer
// one is escaped. The longest in use, a 24-bit colour for foreground and
// background with attributes, is some 40 bytes.
const maxSGR = 64

// sgrLen returns the length of the SGR sequence s starts with, or 0: ESC,
// '[', parameters of digits, ';' and ':', and 'm'.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != esc || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 2+maxSGR+1; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case sgrParam(c):
		default:
			return 0
		}
	}
	return 0
}

// incompleteSGR returns how many bytes at the end of p start an SGR
// sequence that the next write may complete.
func incompleteSGR(p []byte) int {
	i := bytes.LastIndexByte(p, esc)
	if i < 0 || len(p)-i > 2+maxSGR {
		return 0
	}
	rest := p[i+1:]
	if len(rest) == 0 {
		return len(p) - i
	}
	if rest[0] != '[' {
		return 0
	}
	for _, c := range rest[1:] {
		if !sgrParam(c) {
			return 0
		}
	}
	return len(p) - i
}

// sgrParam tells whether c may be among an SGR sequence's parameters.
func sgrParam(c byte) bool {
	return c >= '0' && c <= '9' || c == ';' || c == ':'
}

// Flush writes a held-back incomplete sequence, escaped.
func (w *Writer) Flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	s := w.escape(string(w.pending))
	w.pending = nil
	_, err := io.WriteString(w.w, s)
	return err
}

// incomplete returns how many bytes at the end of p start a UTF-8
// sequence that is not yet complete.
func incomplete(p []byte) int {
	for k := 1; k <= 3 && k <= len(p); k++ {
		c := p[len(p)-k]
		if !utf8.RuneStart(c) {
			continue
		}
		need := 0
		switch {
		case c&0xe0 == 0xc0:
			need = 2
		case c&0xf0 == 0xe0:
			need = 3
		case c&0xf8 == 0xf0:
			need = 4
		}
		if need > k {
			return k
		}
		return 0
	}
	return 0
}
