package printable

import (
	"bytes"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text\twith tab\nand newline", "plain text\twith tab\nand newline"},
		{"héllo, 世界", "héllo, 世界"},
		{"\x1b]0;owned\x07", `\x1b]0;owned\x07`},       // OSC: retitles the window
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},             // CSI: clears the screen
		{"\x9b31m", `\x9b31m`},                         // a raw C1 CSI byte is not UTF-8
		{"\u009b31m", `\u009b31m`},                     // C1 CSI as a character
		{"ok\rFAIL", `ok\x0dFAIL`},                     // a carriage return overwrites the line
		{"a\x00b\x7fc", `a\x00b\x7fc`},                 // NUL, DEL
		{"file\u202egnp.exe", `file\u202egnp.exe`},     // right-to-left override
		{"\u2066x\u2069\u200f", `\u2066x\u2069\u200f`}, // isolates, marks
		{"a\u2028b", `a\u2028b`},                       // line separator
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
		{"\ufffd is a character", "\ufffd is a character"},
	} {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriter writes escapes and multi-byte characters split across writes.
func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	in := "世界 \x1b[31mred\x1b[0m \u202e!"
	for i := 0; i < len(in); i++ {
		if _, err := w.Write([]byte{in[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), String(in); got != want {
		t.Errorf("written byte by byte: %q, want %q", got, want)
	}
	// A sequence that never completes is escaped when flushed.
	b.Reset()
	_, _ = w.Write([]byte("x\xe4\xb8"))
	w.Flush()
	if got, want := b.String(), `x\xe4\xb8`; got != want {
		t.Errorf("cut sequence: %q, want %q", got, want)
	}
}

func TestMessage(t *testing.T) {
	long := strings.Repeat("a", 5000)
	got := Message("scaffold: " + long)
	if len(got) > MessageLine+40 || !strings.HasSuffix(got, "… (4010 more bytes)") {
		t.Errorf("a 5000-byte value: %d bytes, ending %q", len(got), got[len(got)-30:])
	}
	lines := strings.Repeat("line\n", 500)
	if got := Message(lines); strings.Count(got, "\n") != MessageLines || !strings.HasSuffix(got, "… (441 more lines)") {
		t.Errorf("500 lines: %d lines, ending %q", strings.Count(got, "\n"), got[len(got)-30:])
	}
	if got := Cut("世界", 4); got != "世… (3 more bytes)" {
		t.Errorf("Cut on a rune boundary: %q", got)
	}
}

// TestColourWriter lets SGR sequences through, whole or split across
// writes, and escapes every other control sequence as a Writer does.
func TestColourWriter(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"\x1b[90m12:00\x1b[0m hub: loaded", "\x1b[90m12:00\x1b[0m hub: loaded"},
		{"\x1b[1;38;2;255;0:0mbold\x1b[m", "\x1b[1;38;2;255;0:0mbold\x1b[m"},
		{"\x1b]0;owned\x07", `\x1b]0;owned\x07`},          // OSC
		{"\x1b[2J\x1b[31mred", `\x1b[2J` + "\x1b[31mred"}, // a clear is not SGR
		{"\x1b[31;1H", `\x1b[31;1H`},                      // cursor position
		{"\x1b[?25l", `\x1b[?25l`},                        // private parameter
		{"\x1b\x1b[32m", `\x1b` + "\x1b[32m"},
		{"\x1b[" + strings.Repeat("1;", 40) + "m", `\x1b[` + strings.Repeat("1;", 40) + "m"}, // too long
		{"a\rb\u202e", `a\x0db\u202e`},
		{"\x1b[31", `\x1b[31`}, // never completed, flushed
	} {
		for _, split := range []bool{false, true} {
			var b bytes.Buffer
			w := NewColourWriter(&b)
			if split {
				for i := 0; i < len(tt.in); i++ {
					_, _ = w.Write([]byte{tt.in[i]})
				}
			} else {
				_, _ = w.Write([]byte(tt.in))
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("%q (byte by byte: %v): got %q, want %q", tt.in, split, got, tt.want)
			}
		}
	}
}
