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
	joined := strings.Join(quoted, ", ")
	// Each placeholder is replaced by its value: the count of each and
	// their values' lengths bound what the snippet fills in to, before
	// anything is written.
	size := len(s)
	for placeholder, value := range map[string]string{"{{name}}": name, "{{file}}": file, "{{handlers}}": joined} {
		size += strings.Count(s, placeholder) * len(value)
	}
	if size > snippetLimit {
		return "", errSnippetSize
	}
	return strings.NewReplacer("{{name}}", name, "{{file}}", file, "{{handlers}}", joined).Replace(s), nil
}

// NamedFile is the file name the snippet gives a plugin named name:
// name.so when it names {{name}}.so, else "" (the snippet names the file
// by {{file}}, the artifact's own name, or not at all).
func (r *Registration) NamedFile(name string) string {
	if strings.Contains(r.Snippet, "{{name}}.so") {
		return name + ".so"
	}
	return ""
}

// PluginFile is the one file name under which the host is to find a
// plugin named name built as artifact: the name the snippet gives it, or
// else the artifact's own.
func (r *Registration) PluginFile(name, artifact string) string {
	if f := r.NamedFile(name); f != "" {
		return f
	}
	return artifact
}

// snippetLimit bounds a snippet filled in, as a manifest is bounded: a
// section repeated per handler, and the list of handlers repeated per
// {{handlers}}, grow as a product: a lock of a 65 kB section and 200
// handlers filled in to 13 MB, and one of megabytes and thousands of
// handlers would fill in to gigabytes.
const snippetLimit = input.ManifestLimit

var errSnippetSize = fmt.Errorf("filled in, the snippet is more than the %s a manifest may be", input.Size(snippetLimit))

// expandSnippet repeats each per-handler section once per handler.
func expandSnippet(s string, handlers []string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, rangeHandlers)
		if i < 0 {
			if strings.Contains(s, rangeEnd) {
				return "", errors.New("{{end}} without {{range handlers}}")
			}
			if strings.Contains(s, handlerName) {
				return "", errors.New("{{handler}} outside {{range handlers}} ... {{end}}: use {{handlers}} for the quoted list of names")
			}
			b.WriteString(s)
			return b.String(), nil
		}
		before, rest := s[:i], s[i+len(rangeHandlers):]
		if strings.Contains(before, rangeEnd) {
			return "", errors.New("{{end}} without {{range handlers}}")
		}
		if strings.Contains(before, handlerName) {
			return "", errors.New("{{handler}} outside {{range handlers}} ... {{end}}: use {{handlers}} for the quoted list of names")
		}
		b.WriteString(before)
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
				b.WriteString(sep)
			}
			// Counted before it is made: a long name in a section that
			// names it often would fill memory in one section.
			if b.Len()+len(body)+strings.Count(body, handlerName)*len(h) > snippetLimit {
				return "", errSnippetSize
			}
			b.WriteString(strings.ReplaceAll(body, handlerName, h))
		}
		s = after
	}
}
