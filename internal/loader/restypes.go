package loader

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A host may take a plugin only when what the functions it looks up
// return is live (an instance, a struct naming the plugin), so the
// manifest describes the named types of the SDK they return (see
// [manifest.Contract.Types]): an interface's method set and a struct's
// string fields, read with go/types where the host's loader is read, with
// their docs from the SDK's source. The base file gives examples of an
// interface's methods under contract.types, by the type's name as the
// symbols' types write it.

// A returned is a looked-up function's signature, with the loader that
// asserts it.
type returned struct {
	l   *Loader
	sig *types.Signature
}

// resultTypes describes the named types of packages outside the standard
// library that the functions return, directly or through a pointer (a
// struct): in the order the functions return them. base are the base
// file's contract.types, whose method examples are kept.
func resultTypes(fns []returned, base []manifest.NamedType, q *typeNamer) ([]manifest.NamedType, error) {
	var out []manifest.NamedType
	docs := docReader{files: map[string]*ast.File{}}
	for _, r := range fns {
		for i := range r.sig.Results().Len() {
			t := types.Unalias(r.sig.Results().At(i).Type())
			ptr := false
			if p, ok := t.(*types.Pointer); ok {
				t, ptr = types.Unalias(p.Elem()), true
			}
			named, ok := t.(*types.Named)
			if !ok || named.Obj().Pkg() == nil || named.TypeArgs().Len() > 0 || isStd(named.Obj().Pkg().Path()) {
				continue
			}
			name, err := q.print(named)
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(out, func(nt manifest.NamedType) bool { return nt.Name == name }) {
				continue
			}
			nt := manifest.NamedType{Name: name}
			fieldDocs, methodDocs := docs.of(r.l, named.Obj())
			switch u := named.Underlying().(type) {
			case *types.Interface:
				if ptr || u.NumMethods() == 0 {
					continue
				}
				for m := range u.Methods() {
					if !m.Exported() {
						return nil, fmt.Errorf("%s has the unexported method %s: only its own package can implement it, and no plugin can return one", name, m.Name())
					}
					sig, err := q.print(m.Type())
					if err != nil {
						return nil, fmt.Errorf("%s method %s: %w", name, m.Name(), err)
					}
					nt.Methods = append(nt.Methods, manifest.Method{Name: m.Name(), Signature: sig, Doc: methodDocs[m.Name()]})
				}
			case *types.Struct:
				for f := range u.Fields() {
					if b, ok := f.Type().Underlying().(*types.Basic); ok && b.Kind() == types.String && f.Exported() && !f.Embedded() {
						nt.StringFields = append(nt.StringFields, manifest.Field{Name: f.Name(), Doc: fieldDocs[f.Name()]})
					}
				}
				if len(nt.StringFields) == 0 {
					continue
				}
			default:
				continue
			}
			out = append(out, nt)
		}
	}
	return withExamples(out, base)
}

// withExamples takes the examples of the methods the base file lists;
// what else it says of a type is read, not written.
func withExamples(read []manifest.NamedType, base []manifest.NamedType) ([]manifest.NamedType, error) {
	for i, b := range base {
		field := fmt.Sprintf("base file: contract.types[%d]", i)
		j := slices.IndexFunc(read, func(t manifest.NamedType) bool { return t.Name == b.Name })
		if j < 0 {
			var names []string
			for _, t := range read {
				names = append(names, t.Name)
			}
			return nil, fmt.Errorf("%s: %s: no function the host's loader looks up returns it (they return %s)", field, b.Name, orNone(names))
		}
		if len(b.StringFields) > 0 {
			return nil, fmt.Errorf("%s.stringFields: read from the SDK's source; remove it", field)
		}
		t := &read[j]
		for k, m := range b.Methods {
			if m.Signature != "" || m.Doc != "" {
				return nil, fmt.Errorf("%s.methods[%d]: %s: only its example is the base file's; its signature and doc are read from the SDK's source", field, k, m.Name)
			}
			n := slices.IndexFunc(t.Methods, func(tm manifest.Method) bool { return tm.Name == m.Name })
			if n < 0 {
				return nil, fmt.Errorf("%s.methods[%d]: %s has no method %s", field, k, t.Name, m.Name)
			}
			t.Methods[n].Example = m.Example
		}
	}
	return read, nil
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none of the SDK's interfaces or structs"
	}
	return strings.Join(list, ", ")
}

// docReader reads the docs of a type's fields and methods from the source
// file that declares it, each file parsed once. A file it cannot read
// (a build without source paths) gives no docs, not an error: docs are
// for the reader of the generated code.
type docReader struct {
	files map[string]*ast.File
}

func (d *docReader) of(l *Loader, obj *types.TypeName) (fields, methods map[string]string) {
	fields, methods = map[string]string{}, map[string]string{}
	pos := l.Position(obj.Pos())
	f, ok := d.files[pos.Filename]
	if !ok {
		if data, err := input.ReadFile(pos.Filename, input.SourceLimit); err == nil {
			f, _ = parser.ParseFile(token.NewFileSet(), pos.Filename, data, parser.ParseComments)
		}
		d.files[pos.Filename] = f
	}
	if f == nil {
		return fields, methods
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			if ts.Name.Name != obj.Name() {
				continue
			}
			var list *ast.FieldList
			docs := fields
			switch t := ts.Type.(type) {
			case *ast.StructType:
				list = t.Fields
			case *ast.InterfaceType:
				list, docs = t.Methods, methods
			}
			if list == nil {
				continue
			}
			for _, fd := range list.List {
				text := strings.TrimSpace(fd.Doc.Text())
				if text == "" {
					text = strings.TrimSpace(fd.Comment.Text())
				}
				for _, n := range fd.Names {
					if text != "" && manifest.CheckGoText(text) == nil {
						docs[n.Name] = text
					}
				}
			}
		}
	}
	return fields, methods
}
