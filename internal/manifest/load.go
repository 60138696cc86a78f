package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/lazyre"
	"github.com/scaffold-dev/scaffold/internal/nearest"
)

// Load reads and validates the manifest in file, JSON or YAML.
func Load(file string) (*Manifest, error) {
	data, err := input.ReadFile(file, input.ManifestLimit)
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	return Parse(file, data)
}

// Parse decodes and validates a manifest. name is used in messages and, by
// its extension, to tell JSON from YAML; without a known extension a
// document that starts with '{' is JSON.
//
// Both formats are decoded through a YAML node tree so that every problem
// can carry the line it stands on.
func Parse(name string, data []byte) (*Manifest, error) {
	m, lines, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	if p := m.validate(lines); p != nil {
		p.File = name
		return nil, p
	}
	return m, nil
}

// LoadBase reads a base file: the part of a manifest that a host binary
// cannot tell, kept in the host's repository. Its fields are checked for
// shape here and for content once the manifest is complete.
func LoadBase(file string) (*Manifest, error) {
	data, err := input.ReadFile(file, input.ManifestLimit)
	if err != nil {
		return nil, fmt.Errorf("reading base file: %w", err)
	}
	m, _, p := decode(file, data)
	if p != nil {
		return nil, p
	}
	return m, nil
}

func decode(name string, data []byte) (*Manifest, map[string]int, *Problems) {
	fail := func(p Problem) (*Manifest, map[string]int, *Problems) {
		return nil, nil, &Problems{File: name, List: []Problem{p}}
	}
	if isJSON(name, data) {
		if p := checkJSONSyntax(data); p != nil {
			return fail(*p)
		}
		// JSON allows tabs between tokens, YAML does not; valid JSON has
		// no raw tab inside a string, so each one is white space, and a
		// space reads the same, on the same line.
		data = bytes.ReplaceAll(data, []byte("\t"), []byte(" "))
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return fail(yamlSyntaxProblem(err))
	}
	// A manifest is one document: a second one would be ignored silently.
	var second yaml.Node
	if err := dec.Decode(&second); err == nil {
		return fail(Problem{Line: second.Line, Msg: "a second YAML document: a manifest is one document"})
	} else if !errors.Is(err, io.EOF) {
		return fail(yamlSyntaxProblem(err))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return fail(Problem{Msg: "the manifest is empty"})
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fail(Problem{Line: root.Line, Msg: "the manifest must be a mapping of fields"})
	}
	if p := checkSchemaVersion(root); p != nil {
		return fail(*p)
	}
	w := walker{lines: map[string]int{}}
	w.walk("", root, reflect.TypeOf(Manifest{}))
	if len(w.problems) > 0 {
		return nil, nil, &Problems{File: name, List: w.problems}
	}
	var m Manifest
	if err := root.Decode(&m); err != nil {
		// The walk above checks every shape Decode can refuse; this is a
		// safety net, not an expected path.
		return fail(Problem{Msg: err.Error()})
	}
	// Absent, null and [] all mean no imports, held as [] in a manifest
	// read from a file. A manifest read from a lock may hold nil: it is
	// [Contract.MarshalJSON] that writes, and so digests, both alike.
	if m.Contract.Imports == nil {
		m.Contract.Imports = []Import{}
	}
	return &m, w.lines, nil
}

func isJSON(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return true
	case ".yaml", ".yml":
		return false
	}
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("{"))
}

// checkJSONSyntax holds JSON to JSON's own grammar, which is stricter than
// YAML's reading of it (YAML accepts trailing commas and comments).
func checkJSONSyntax(data []byte) *Problem {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		// Anything but the end of the input after the document, even a
		// token JSON cannot read, is refused.
		end := dec.InputOffset()
		if _, extra := dec.Token(); !errors.Is(extra, io.EOF) {
			rest := bytes.TrimLeft(data[end:], " \t\r\n")
			line, col := position(data, int64(len(data)-len(rest)))
			return &Problem{Line: line, Msg: fmt.Sprintf("invalid JSON: unexpected data after the document at column %d", col)}
		}
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		// Offset counts the offending byte itself.
		line, col := position(data, syn.Offset-1)
		return &Problem{Line: line, Msg: fmt.Sprintf("invalid JSON at column %d: %s", col, syn.Error())}
	}
	if errors.Is(err, io.EOF) {
		return &Problem{Msg: "the manifest is empty"}
	}
	return &Problem{Msg: "invalid JSON: " + err.Error()}
}

func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

var yamlLine = lazyre.New(`^yaml: line (\d+): (.*)$`)

func yamlSyntaxProblem(err error) Problem {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Msg: "invalid YAML: " + m[2]}
	}
	return Problem{Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// checkSchemaVersion comes before everything else: a manifest of another
// schema version is not worth checking field by field.
func checkSchemaVersion(root *yaml.Node) *Problem {
	supported := fmt.Sprint(SupportedSchemaVersions)
	supported = strings.Trim(supported, "[]")
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "schemaVersion" {
			continue
		}
		v := root.Content[i+1]
		n, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil {
			return &Problem{Path: "schemaVersion", Line: v.Line, Msg: fmt.Sprintf("%q is not a schema version (this build reads version %s)", v.Value, supported)}
		}
		for _, s := range SupportedSchemaVersions {
			if n == s {
				return nil
			}
		}
		return &Problem{Path: "schemaVersion", Line: v.Line, Msg: fmt.Sprintf("schema version %d is not supported (this build reads version %s)", n, supported)}
	}
	return &Problem{Path: "schemaVersion", Line: root.Line, Msg: fmt.Sprintf("missing (this build reads version %s)", supported)}
}

// A walker checks the shape of a YAML node tree against a Go type: unknown
// fields, a list where a field wants a string, a number where it wants a
// string. It records each field's line for the checks that follow.
type walker struct {
	lines    map[string]int
	problems []Problem
}

func (w *walker) add(path string, line int, format string, args ...any) {
	w.problems = append(w.problems, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (w *walker) walk(path string, n *yaml.Node, t reflect.Type) {
	if _, ok := w.lines[path]; !ok {
		w.lines[path] = n.Line
	}
	if n.Kind == yaml.AliasNode {
		w.add(path, n.Line, "aliases are not allowed in a manifest")
		return
	}
	if n.Tag == "!!null" {
		return // an absent value: the checks that follow say whether it may be
	}
	switch t.Kind() {
	case reflect.Pointer:
		w.walk(path, n, t.Elem())
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			w.add(path, n.Line, "must be a mapping of fields, not %s", describe(n))
			return
		}
		fields := yamlFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			fp := join(path, k.Value)
			if seen[k.Value] {
				w.add(fp, k.Line, "appears twice")
				continue
			}
			seen[k.Value] = true
			// A field stands on its key's line; a mapping value starts below.
			w.lines[fp] = k.Line
			f, ok := fields[k.Value]
			if !ok {
				if near := nearest.Name(k.Value, slices.Collect(maps.Keys(fields))); near != "" {
					w.add(fp, k.Line, "unknown field (did you mean %s?)", near)
				} else {
					w.add(fp, k.Line, "unknown field")
				}
				continue
			}
			w.walk(fp, v, f)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.add(path, n.Line, "must be a list, not %s", describe(n))
			return
		}
		for i, e := range n.Content {
			w.walk(fmt.Sprintf("%s[%d]", path, i), e, t.Elem())
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
			w.add(path, n.Line, "must be a string, not %s (quote it)", describe(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			w.add(path, n.Line, "must be true or false, not %s", describe(n))
		}
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			w.add(path, n.Line, "must be a whole number, not %s", describe(n))
		}
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!str":
		return quote(n.Value)
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	}
	return n.Value
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = f.Type
	}
	return fields
}
