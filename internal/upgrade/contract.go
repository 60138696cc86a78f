package upgrade

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/generator"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A ChangeKind says how a member of the contract changed.
type ChangeKind string

// The kinds of contract change.
const (
	MemberAdded   ChangeKind = "added"
	MemberRemoved ChangeKind = "removed"
	MemberChanged ChangeKind = "changed"
)

// A Change is a member of the plugin contract that the new release added,
// removed or changed, and what became of the author's code for it.
type Change struct {
	Kind ChangeKind
	Name string
	// Method is true for a method of the interface, false for a function
	// or variable of the plugin's package.
	Method bool
	// Old and New are the member's signatures in the old and new
	// releases; "" where it has none.
	Old, New string
	// At is the author's implementation, as file:line; "" when none was
	// found.
	At string
	// Have is the signature of the author's implementation.
	Have string
	// Stub is the file a stub was written to, for an added member.
	Stub string
	// Fix is what the author must still do; "" when nothing is left.
	Fix string
	// Release is the host release the change is of, in a repository
	// built for several.
	Release string
}

// Pending tells whether the author must still change code for c.
func (c Change) Pending() bool { return c.Fix != "" }

// members lists what a plugin generated with these answers must provide
// under a contract: its members, the optional symbols the author chose,
// and the handlers the author named.
func members(k *manifest.Contract, a lock.Answers) []manifest.Member {
	var out []manifest.Member
	for _, m := range k.Members() {
		if !m.Required && slices.Contains(a.Hooks, m.Name) {
			m.Required = true
		}
		out = append(out, m)
	}
	return append(out, k.HandlerMembers(a.Handlers)...)
}

// memberChanges compares what two contracts require of a plugin's code,
// member by member. It depends on [manifest.Contract.Members] alone (and
// the contracts' imports, to read signatures), so that every contract kind
// is compared the same way. An optional member the author did not choose
// is not the plugin's concern. a are the answers the old contract was
// implemented with, b those the new one is (scaffold upgrade --set may
// choose other hooks and handlers).
func memberChanges(old, new *manifest.Contract, a, b lock.Answers) []Change {
	before := map[string]manifest.Member{}
	for _, m := range members(old, a) {
		before[m.Name] = m
	}
	var out []Change
	for _, m := range members(new, b) {
		o, ok := before[m.Name]
		delete(before, m.Name)
		switch {
		case !m.Required:
		case !ok, !o.Required:
			out = append(out, Change{Kind: MemberAdded, Name: m.Name, Method: m.Method, Old: o.Signature, New: m.Signature})
		case canonical(o.Signature, contractPaths(old)) != canonical(m.Signature, contractPaths(new)):
			out = append(out, Change{Kind: MemberChanged, Name: m.Name, Method: m.Method, Old: o.Signature, New: m.Signature})
		}
	}
	for _, m := range members(old, a) {
		if _, ok := before[m.Name]; ok && m.Required {
			out = append(out, Change{Kind: MemberRemoved, Name: m.Name, Method: m.Method, Old: m.Signature})
		}
	}
	return out
}

// contract brings the author's code along with the contract's changes:
// a stub for each added member, in a new file, and for a removed or
// changed one the place the author must fix. The author's functions are
// never rewritten.
func (u *upgrader) contract() error {
	old, new := &u.r.lock.Manifest.Contract, &u.o.Manifest.Contract
	changes := memberChanges(old, new, u.r.lock.Answers, u.r.answers)
	if len(changes) == 0 {
		return nil
	}
	c := parseCode(u.upgradedSources())
	name := u.r.lock.Answers.Name
	typ := c.implementing(generator.TypeName(name, old), generator.TypeName(name, new))
	var stubbed []Change
	for i := range changes {
		if c.settle(&changes[i], typ, new) {
			stubbed = append(stubbed, changes[i])
		}
	}
	if len(stubbed) > 0 {
		file, err := u.writeStubs(typ, stubbed)
		if err != nil {
			return err
		}
		for i := range changes {
			if changes[i].Fix == "" && changes[i].Kind == MemberAdded && changes[i].At == "" {
				changes[i].Stub = file
			}
		}
	}
	u.res.Contract = changes
	return nil
}

// settle finds the author's implementation of ch in c and says what is
// left to do; it reports whether ch needs a stub.
func (c *code) settle(ch *Change, typ string, k *manifest.Contract) (stub bool) {
	want := canonical(ch.New, contractPaths(k))
	decl := c.member(typ, ch.Name, ch.Method)
	if decl != nil {
		ch.At, ch.Have = decl.at, decl.typ
	}
	same := decl != nil && canonical(ch.Have, decl.file.paths) == want
	switch ch.Kind {
	case MemberAdded:
		switch {
		case decl == nil && (typ != "" || !ch.Method):
			return true
		case decl == nil:
			ch.Fix = fmt.Sprintf("add the method %s %s to the type implementing the contract", ch.Name, ch.New)
		case !same:
			ch.Fix = fmt.Sprintf("%s already declares %s with another signature: change it to %s", ch.At, ch.Name, ch.New)
		}
	case MemberRemoved:
		if decl != nil {
			ch.Fix = fmt.Sprintf("the host no longer calls %s: remove it at %s, or rename it if other code uses it", ch.Name, ch.At)
		}
	case MemberChanged:
		switch {
		case decl == nil:
			ch.Fix = notFound(ch.Name, ch.New, ch.Method, typ)
		case !same:
			ch.Fix = fmt.Sprintf("change the signature of %s at %s to %s", ch.Name, ch.At, ch.New)
		}
	}
	return false
}

// notFound says what to write when the member name, of signature sig, has
// no implementation in the plugin's package.
func notFound(name, sig string, method bool, typ string) string {
	switch {
	case method:
		return fmt.Sprintf("no method %s was found on %s: give the plugin's %s the signature %s", name, orUnknown(typ), name, sig)
	case strings.HasPrefix(sig, "func("):
		return fmt.Sprintf("no function %s was found in package main: export one with the signature %s", name, sig)
	}
	return fmt.Sprintf("no variable %s was found in package main: export one of type %s", name, sig)
}

// verify checks the author's implementations of the contract's members:
// every one found must have the member's signature, and every required
// one must be found. A member an upgrade added while the file declaring
// the type did not parse (it held conflict markers) got no stub: it is
// reported here once the conflict is resolved, rather than left to fail
// the build. Where the code cannot tell (a file still does not parse, a
// method may be promoted from an embedded field, the type is not found)
// a missing member is not reported.
func verify(k *manifest.Contract, a lock.Answers, c *code, types []string) []Change {
	typ := c.implementing(types...)
	var out []Change
	for _, m := range members(k, a) {
		decl := c.member(typ, m.Name, m.Method)
		if decl == nil {
			if m.Required && !c.broken && (!m.Method || (typ != "" && !c.mayPromote(typ))) {
				out = append(out, Change{Kind: MemberAdded, Name: m.Name, Method: m.Method, New: m.Signature, Fix: notFound(m.Name, m.Signature, m.Method, typ)})
			}
			continue
		}
		ch := Change{Kind: MemberChanged, Name: m.Name, Method: m.Method, New: m.Signature, At: decl.at, Have: decl.typ}
		if canonical(ch.Have, decl.file.paths) != canonical(m.Signature, contractPaths(k)) {
			ch.Fix = fmt.Sprintf("change the signature of %s at %s to %s", ch.Name, ch.At, ch.New)
			out = append(out, ch)
		}
	}
	return out
}

func orUnknown(typ string) string {
	if typ == "" {
		return "the type implementing the contract (not found)"
	}
	return typ
}

// code is the plugin's main package: the Go files at the module's root,
// tests left out. Files that do not parse (conflict markers) take part
// as far as they parse.
type code struct {
	fset  *token.FileSet
	files []*codeFile
	// broken is set when a file did not parse whole: what it declares
	// cannot be told missing.
	broken bool
}

type codeFile struct {
	path string
	f    *ast.File
	// paths maps the file's package names to import paths.
	paths func(name string) string
}

func parseCode(src filetree.Tree) *code {
	c := &code{fset: token.NewFileSet()}
	for _, p := range src.Paths() {
		if strings.Contains(p, "/") || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(c.fset, p, src[p], parser.SkipObjectResolution)
		if err != nil {
			c.broken = true
		}
		if f == nil {
			continue
		}
		names := map[string]string{}
		for _, imp := range f.Imports {
			if name, path, ok := manifest.SpecName(imp); ok {
				names[name] = path
			}
		}
		c.files = append(c.files, &codeFile{path: p, f: f, paths: func(n string) string {
			if p, ok := names[n]; ok {
				return p
			}
			return n
		}})
	}
	return c
}

// implementing returns the first of the candidate names the package
// declares as a type, or "".
func (c *code) implementing(candidates ...string) string {
	for _, name := range candidates {
		for _, cf := range c.files {
			for _, d := range cf.f.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
					for _, s := range gd.Specs {
						if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.Name == name {
							return name
						}
					}
				}
			}
		}
	}
	return ""
}

// mayPromote tells whether typ may have methods it does not declare: it
// is not a struct type the package declares, or it embeds a field.
func (c *code) mayPromote(typ string) bool {
	for _, cf := range c.files {
		for _, d := range cf.f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok || ts.Name.Name != typ {
					continue
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok || ts.Assign.IsValid() {
					return true
				}
				for _, f := range st.Fields.List {
					if len(f.Names) == 0 {
						return true
					}
				}
				return false
			}
		}
	}
	return true
}

// An impl is the author's implementation of a member.
type impl struct {
	file *codeFile
	// at is the declaration's file:line; typ its type as written, "" for
	// a variable declared without one.
	at, typ string
}

// member finds the author's implementation of a member: the method name
// declared on typ or *typ, or for a member that is no method, the
// package's function or variable name.
func (c *code) member(typ, name string, method bool) *impl {
	if method && typ == "" {
		return nil
	}
	for _, cf := range c.files {
		for _, d := range cf.f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.Name != name {
					continue
				}
				if (!method && d.Recv == nil) ||
					(method && d.Recv != nil && len(d.Recv.List) == 1 && receiverType(d.Recv.List[0].Type) == typ) {
					return &impl{file: cf, at: c.at(cf, d.Pos()), typ: printed(d.Type)}
				}
			case *ast.GenDecl:
				if method || d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, n := range vs.Names {
						if n.Name == name {
							v := &impl{file: cf, at: c.at(cf, n.Pos())}
							if vs.Type != nil {
								v.typ = printed(vs.Type)
							}
							return v
						}
					}
				}
			}
		}
	}
	return nil
}

func receiverType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return receiverType(t.X)
	case *ast.ParenExpr:
		return receiverType(t.X)
	case *ast.IndexExpr:
		return receiverType(t.X)
	case *ast.IndexListExpr:
		return receiverType(t.X)
	case *ast.Ident:
		return t.Name
	}
	return ""
}

func (c *code) at(cf *codeFile, pos token.Pos) string {
	return fmt.Sprintf("%s:%d", cf.path, c.fset.Position(pos).Line)
}

// printed writes a type the way manifests do.
func printed(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}

func contractPaths(k *manifest.Contract) func(string) string {
	return func(name string) string {
		for _, imp := range k.Imports {
			if imp.PackageName() == name {
				return imp.Path
			}
		}
		return name
	}
}

// canonical writes a func type so that two spellings of the same type
// compare equal: parameter and result names dropped, packages named by
// import path. A signature that does not parse is returned as it is.
func canonical(sig string, paths func(string) string) string {
	ft, err := manifest.ParseSignature(sig)
	if err != nil {
		return sig
	}
	ast.Inspect(ft, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				id.Name = strconv.Quote(paths(id.Name))
			}
			return false
		}
		return true
	})
	unname := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		var list []*ast.Field
		for _, f := range fl.List {
			for range max(1, len(f.Names)) {
				list = append(list, &ast.Field{Type: f.Type})
			}
		}
		fl.List = list
	}
	unname(ft.Params)
	unname(ft.Results)
	var b bytes.Buffer
	printer.Fprint(&b, token.NewFileSet(), ft)
	return b.String()
}
