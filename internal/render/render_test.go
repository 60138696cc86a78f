package render

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestStrict(t *testing.T) {
	r, err := New(fstest.MapFS{
		"a.tmpl":    {Data: []byte("{{.Missing}}")},
		"word.tmpl": {Data: []byte("{{word .V}}")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render("a.tmpl", map[string]string{}); err == nil {
		t.Error("a missing key rendered")
	}
	if _, err := r.Render("word.tmpl", map[string]string{"V": "$(id)"}); err == nil || !strings.Contains(err.Error(), "unsafe value") {
		t.Errorf("word of $(id): %v, want unsafe value", err)
	}
	out, err := r.Render("word.tmpl", map[string]string{"V": "example.com/*"})
	if err != nil || string(out) != "example.com/*" {
		t.Errorf("word of a module pattern = %q, %v", out, err)
	}
}

// TestNoUnrepeatableFunctions makes sure no function that reads the clock,
// the environment or a random source is available to templates.
func TestNoUnrepeatableFunctions(t *testing.T) {
	m := FuncMap()
	for _, name := range []string{"now", "date", "env", "expandenv", "randAlpha", "uuidv4", "genPrivateKey", "shuffle", "randInt", "ago", "bcrypt", "getHostByName"} {
		if _, ok := m[name]; ok {
			t.Errorf("FuncMap has %s", name)
		}
	}
	for _, name := range []string{"join", "upper", "word", "words", "goString", "comment"} {
		if _, ok := m[name]; !ok {
			t.Errorf("FuncMap lacks %s", name)
		}
	}
}
