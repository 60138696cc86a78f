package target

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/hooks"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A Render is one release's rendering of a generated Go file.
type Render struct {
	Version string
	Src     []byte
}

// Split divides the renderings of one generated Go file, one per release
// of l, by top-level declaration. A declaration every release renders
// alike (the same text, its package names standing for the same import
// paths) stays in the file named name, which keeps the newest
// rendering's package doc; the others are grouped by the set of releases
// that render them so, each group in a file of its own beside it (see
// [List.PieceName]) whose //go:build line selects those releases. When
// every declaration is shared, the result is the newest rendering alone.
//
// The files are returned unformatted, each with every import its
// declarations use: the caller formats them.
func (l List) Split(name string, renders []Render) (map[string][]byte, error) {
	if len(renders) != len(l.Versions) {
		return nil, fmt.Errorf("%s: %d renderings for %d releases", name, len(renders), len(l.Versions))
	}
	var files []*parsed
	for i, r := range renders {
		if r.Version != l.Versions[i] {
			return nil, fmt.Errorf("%s: rendering of %s where %s is due", name, r.Version, l.Versions[i])
		}
		p, err := parse(name, r.Src)
		if err != nil {
			return nil, err
		}
		files = append(files, p)
	}
	newest := files[len(files)-1]
	// Each declaration's releases, by identity.
	releases := map[string][]string{}
	for i, f := range files {
		for _, d := range f.decls {
			releases[d.id] = append(releases[d.id], l.Versions[i])
		}
	}
	shared := true
	for _, set := range releases {
		shared = shared && len(set) == len(l.Versions)
	}
	if shared {
		return map[string][]byte{name: renders[len(renders)-1].Src}, nil
	}

	out := map[string][]byte{}
	var common []decl
	for _, d := range newest.decls {
		if len(releases[d.id]) == len(l.Versions) {
			common = append(common, d)
		}
	}
	out[name] = assemble("", newest.doc, newest.pkg, "", common)

	// The groups, each in the order of its oldest release's rendering.
	type group struct {
		set   []string
		decls []decl
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range files {
		for _, d := range f.decls {
			set := releases[d.id]
			if len(set) == len(l.Versions) {
				continue
			}
			key := strings.Join(set, " ")
			g := byKey[key]
			if g == nil {
				g = &group{set: set}
				byKey[key] = g
				groups = append(groups, g)
			}
			if !slices.ContainsFunc(g.decls, func(have decl) bool { return have.id == d.id }) {
				g.decls = append(g.decls, d)
			}
		}
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		if c := slices.Index(l.Versions, a.set[0]) - slices.Index(l.Versions, b.set[0]); c != 0 {
			return c
		}
		return len(b.set) - len(a.set)
	})
	named := map[string]bool{}
	for _, g := range groups {
		piece := l.PieceName(name, g.set, named)
		named[piece] = true
		out[piece] = assemble(l.Expr(g.set), nil, newest.pkg, strings.TrimSuffix(l.note(), "\n"), g.decls)
	}
	return out, nil
}

// PieceName names the file beside name that holds the declarations of a
// set of releases: name's stem with the tag of the set's oldest release
// (plugin_gateway_v0.9.0.go, plugin_gateway_v0.9.0_test.go), or, when
// taken, with every version of the set; a name Go would read as a
// constraint of its own gets a suffix that is none.
func (l List) PieceName(name string, set []string, taken map[string]bool) string {
	dir, file := path.Split(name)
	stem, suffix := strings.TrimSuffix(file, ".go"), ".go"
	if strings.HasSuffix(stem, "_test") {
		stem, suffix = strings.TrimSuffix(stem, "_test"), "_test.go"
	}
	pick := func(part string) string {
		base := stem + "_" + part
		if Constrained(base) {
			base += "_release"
		}
		return dir + base + suffix
	}
	p := pick(l.Tag(set[0]))
	if taken[p] {
		var tags []string
		for _, v := range set {
			tags = append(tags, l.Tag(v))
		}
		p = pick(strings.Join(tags, "_"))
	}
	return p
}

// note says, in a comment, why a file of pieces has a build constraint.
// It names no release: adding one that takes after them changes no line
// of the file.
func (l List) note() string { return note }

const note = "// Only the builds for the host releases the build constraint above\n" +
	"// selects compile this file: their contract differs here from the other\n" +
	"// releases'. Code the releases share belongs in files without one.\n"

// Untag removes a Go file's build constraint, with the note that
// [List.Split] writes beside one, when the file still holds it as written:
// a file every release builds needs neither.
func Untag(src []byte) ([]byte, error) {
	out, err := Retag(src, "")
	if err != nil {
		return nil, err
	}
	if i := bytes.Index(out, []byte("\n"+note)); i >= 0 {
		end := i + 1 + len(note)
		if bytes.HasPrefix(out[end:], []byte("\n")) {
			end++
		}
		out = slices.Concat(out[:i+1], out[end:])
	}
	return out, nil
}

// A parsed file is a rendering read for its declarations.
type parsed struct {
	pkg   string
	doc   []byte
	decls []decl
}

// A decl is one top-level declaration, with its doc comment, or a
// comment between declarations.
type decl struct {
	// at is where it starts in its file.
	at   int
	text []byte
	// imports are the specs of the imports it uses.
	imports []string
	// id tells the declaration apart from any other: its text and the
	// import paths its package names stand for.
	id string
}

func parse(name string, src []byte) (*parsed, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("reading generated %s: %w", name, err)
	}
	tf := fset.File(f.Pos())
	off := func(p token.Pos) int { return tf.Offset(p) }
	p := &parsed{pkg: f.Name.Name}
	if f.Doc != nil {
		p.doc = src[off(f.Doc.Pos()):off(f.Doc.End())]
	}
	specs := map[string]string{}
	for _, spec := range f.Imports {
		n, ipath, ok := manifest.SpecName(spec)
		if !ok {
			continue
		}
		s := strconv.Quote(ipath)
		if spec.Name != nil {
			s = spec.Name.Name + " " + s
		}
		specs[n] = s
	}
	// Where each top-level declaration's text is, doc and closing
	// comment included; a comment outside all of them (a note between
	// declarations) is kept as a declaration of its own.
	type span struct{ start, end int }
	var taken []span
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			taken = append(taken, span{off(d.Pos()), off(d.End())})
			continue
		}
		start := d.Pos()
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
		}
		end := off(d.End())
		// A comment closing the declaration's last line goes with it.
		if nl := strings.IndexByte(string(src[end:]), '\n'); nl >= 0 && strings.HasPrefix(strings.TrimSpace(string(src[end:end+nl])), "//") {
			end += nl
		}
		var uses []string
		ast.Inspect(d, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && specs[id.Name] != "" && !slices.Contains(uses, specs[id.Name]) {
					uses = append(uses, specs[id.Name])
				}
			}
			return true
		})
		slices.Sort(uses)
		text := src[off(start):end]
		taken = append(taken, span{off(start), end})
		p.decls = append(p.decls, decl{at: off(start), text: text, imports: uses, id: string(text) + "\x00" + strings.Join(uses, "\x00")})
	}
	for _, c := range f.Comments {
		if c == f.Doc {
			continue
		}
		start, end := off(c.Pos()), off(c.End())
		if slices.ContainsFunc(taken, func(t span) bool { return start >= t.start && end <= t.end }) {
			continue
		}
		text := src[start:end]
		p.decls = append(p.decls, decl{at: start, text: text, id: string(text)})
	}
	slices.SortFunc(p.decls, func(a, b decl) int { return a.at - b.at })
	return p, nil
}

// assemble writes a file of decls: its //go:build line (for expr), the
// package doc and clause, the imports the decls use, a note, the decls.
func assemble(expr string, doc []byte, pkg, note string, decls []decl) []byte {
	var b strings.Builder
	b.Write(Line(expr))
	if expr != "" {
		b.WriteString("\n")
	}
	if doc != nil {
		b.Write(doc)
		b.WriteString("\n")
	}
	b.WriteString("package " + pkg + "\n")
	var imports []string
	for _, d := range decls {
		imports = append(imports, d.imports...)
	}
	if imports = hooks.GroupImports(imports); len(imports) > 0 {
		b.WriteString("\nimport (\n")
		for _, s := range imports {
			if s != "" {
				b.WriteString("\t" + s)
			}
			b.WriteString("\n")
		}
		b.WriteString(")\n")
	}
	if note != "" {
		b.WriteString("\n" + note + "\n")
	}
	for _, d := range decls {
		b.WriteString("\n")
		b.Write(d.text)
		b.WriteString("\n")
	}
	return []byte(b.String())
}
