package compat

import (
	"fmt"
	"strings"
	"testing"
)

// TestWriteTextManyPackages holds a report on a thousand differing
// packages to a verdict line a person can read: ten names and the count.
func TestWriteTextManyPackages(t *testing.T) {
	h, p := file("gateway", "exe"), file("hello", "plugin")
	for i := range 1000 {
		pkg := fmt.Sprintf("%s/p%03d", textkit, i)
		h.PkgHashes[pkg], p.PkgHashes[pkg] = "01", "02"
	}
	var b strings.Builder
	if err := Check(Target{Host: h}, p).WriteText(&b, "host ./gateway"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"hello: incompatible with host ./gateway: 1000 of 1005 shared packages differ: " +
			"example.com/textkit/p000, example.com/textkit/p001, example.com/textkit/p002, example.com/textkit/p003, example.com/textkit/p004, " +
			"example.com/textkit/p005, example.com/textkit/p006, example.com/textkit/p007, example.com/textkit/p008, example.com/textkit/p009 and 990 more",
		"  module example.com/textkit (1000 packages: " +
			"example.com/textkit/p000, example.com/textkit/p001, example.com/textkit/p002, example.com/textkit/p003, example.com/textkit/p004, " +
			"example.com/textkit/p005, example.com/textkit/p006, example.com/textkit/p007, example.com/textkit/p008, example.com/textkit/p009 and 990 more): " +
			"host v1.1.0, plugin v1.1.0, compiled from other source: build both from the published module: no edited copy, no replace of example.com/textkit",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), b.String())
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\ngot  %s\nwant %s", i, lines[i], want[i])
		}
	}
}

func TestSomeOf(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{1, "a0"},
		{10, "a0, a1, a2, a3, a4, a5, a6, a7, a8, a9"},
		{11, "a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 and 1 more"},
	} {
		var list []string
		for i := range tt.n {
			list = append(list, fmt.Sprintf("a%d", i))
		}
		if got := someOf(list); got != tt.want {
			t.Errorf("someOf(%d names) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
