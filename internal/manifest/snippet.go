package manifest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// Placeholders of a registration snippet. Within {{range handlers}} ...
// {{end}}, the text is repeated once per handler with {{handler}} standing
// for the handler's name: copies of a one-line text are separated by ", "
// (a JSON list of objects, one per handler), copies of a text ending in a
// newline follow one another (a YAML list).
const (
	rangeHandlers = "{{range handlers}}"
	rangeEnd      = "{{end}}"
	handlerName   = "{{handler}}"
)

// checkSnippet checks that a snippet's per-handler sections are closed,
// not nested, and that {{handler}} is used only inside one.
func checkSnippet(s string) error {
	_, err := expandSnippet(s, nil)
	return err
}

// SnippetFor renders the registration snippet for a plugin named name, built
// as file, exporting handlers.
func (r *Registration) SnippetFor(name, file string, handlers []string) (string, error) {
	s, err := expandSnippet(r.Snippet, handlers)
	if err != nil {
		return "", err
	}
	s = strings.TrimRight(s, "\n")
	quoted := make([]string, len(handlers))
	for i, h := range handlers {
		quoted[i] = strconv.Quote(h)
	}
	var b snippetBuilder
	if _, err := strings.NewReplacer("{{name}}", name, "{{file}}", file, "{{handlers}}", strings.Join(quoted, ", ")).WriteString(&b, s); err != nil {
		return "", err
	}
	return b.result()
}

// snippetLimit bounds a snippet filled in, as a manifest is bounded: a
// section repeated per handler, and the list of handlers repeated per
// {{handlers}}, grow as a product: a lock of a 65 kB section and 200
// handlers filled in to 13 MB, and one of megabytes and thousands of
// handlers would fill in to gigabytes.
const snippetLimit = input.ManifestLimit

// A snippetBuilder is a strings.Builder that refuses to grow beyond
// snippetLimit: once a write is refused, every later one is, so that no
// part of the snippet is left out silently.
type snippetBuilder struct {
	b   strings.Builder
	err error
}

func (w *snippetBuilder) WriteString(s string) (int, error) {
	if w.add(s) {
		return len(s), nil
	}
	return 0, w.err
}

func (w *snippetBuilder) Write(p []byte) (int, error) { return w.WriteString(string(p)) }

// add writes s, and says whether it was written: false once the snippet
// would grow beyond the limit, and from then on.
func (w *snippetBuilder) add(s string) bool {
	if w.err == nil && w.b.Len()+len(s) > snippetLimit {
		w.err = fmt.Errorf("filled in, the snippet is more than the %s a manifest may be", input.Size(snippetLimit))
	}
	if w.err != nil {
		return false
	}
	w.b.WriteString(s)
	return true
}

// result is what was written, or the error that refused a write.
func (w *snippetBuilder) result() (string, error) {
	if w.err != nil {
		return "", w.err
	}
	return w.b.String(), nil
}

// expandSnippet repeats each per-handler section once per handler.
func expandSnippet(s string, handlers []string) (string, error) {
	var b snippetBuilder
	for {
		i := strings.Index(s, rangeHandlers)
		if i < 0 {
			if strings.Contains(s, rangeEnd) {
				return "", errors.New("{{end}} without {{range handlers}}")
			}
			if strings.Contains(s, handlerName) {
				return "", errors.New("{{handler}} outside {{range handlers}} ... {{end}}: use {{handlers}} for the quoted list of names")
			}
			b.add(s)
			return b.result()
		}
		before, rest := s[:i], s[i+len(rangeHandlers):]
		if strings.Contains(before, rangeEnd) {
			return "", errors.New("{{end}} without {{range handlers}}")
		}
		if strings.Contains(before, handlerName) {
			return "", errors.New("{{handler}} outside {{range handlers}} ... {{end}}: use {{handlers}} for the quoted list of names")
		}
		b.add(before)
		body, after, ok := strings.Cut(rest, rangeEnd)
		if !ok {
			return "", errors.New("{{range handlers}} without {{end}}")
		}
		if strings.Contains(body, rangeHandlers) {
			return "", errors.New("{{range handlers}} inside another")
		}
		sep := ", "
		if strings.HasSuffix(body, "\n") {
			sep = ""
		}
		for j, h := range handlers {
			if j > 0 {
				b.add(sep)
			}
			if !b.add(strings.ReplaceAll(body, handlerName, h)) {
				return b.result()
			}
		}
		s = after
	}
}
