package generator

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// CheckDirectives refuses generated content holding a line that starts
// with a directive ([manifest.IsDirective]), unless the template it was rendered from (tmpl, nil
// for content made otherwise) has that very line: only scaffold's own
// directives may reach a generated file, never one from a manifest's
// text. It is the last guard of every generated file, whatever printed
// it.
func CheckDirectives(path string, content, tmpl []byte) error {
	var own map[string]bool
	for i, line := range bytes.Split(content, []byte("\n")) {
		l := string(bytes.TrimSuffix(line, []byte("\r")))
		if !manifest.IsDirective(l) {
			continue
		}
		if own == nil {
			own = map[string]bool{}
			for _, t := range strings.Split(string(tmpl), "\n") {
				if t = strings.TrimSuffix(t, "\r"); manifest.IsDirective(t) {
					own[t] = true
				}
			}
		}
		if !own[l] {
			return fmt.Errorf("generated %s: line %d, %s, would be read as a directive by the go command; the manifest's text must not make one", path, i+1, quoteCut(l))
		}
	}
	return nil
}

// quoteCut quotes a line for a message, cut when long.
func quoteCut(s string) string {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return fmt.Sprintf("%q", s)
}
