package hooks

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
	"unicode"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A namer hands out parameter names that shadow nothing the generated file
// uses: package names, predeclared identifiers, the receiver and the file's
// own declarations.
type namer struct {
	taken map[string]bool
}

// declaredNames are the identifiers the generated files declare
// themselves: the plugin, its tests and the load harness.
var declaredNames = []string{
	Receiver, "pluginName", "version", "buildTime", "t", "cancel", "err", "newPlugin", "lookup", "fail", "failf", "failType", "pkgPaths", "say", "impl", "ptr", "ctor", "sym",
}

// fileNames are the identifiers the generated files declare, and the
// packages they import whatever the contract.
var fileNames = append(slices.Clone(declaredNames),
	"context", "errors", "reflect", "testing", "fmt", "os", "plugin", "httptest", "log", "strings",
)

func newNamer(k *manifest.Contract) *namer {
	n := &namer{taken: map[string]bool{}}
	for _, name := range fileNames {
		n.taken[name] = true
	}
	for _, imp := range k.Imports {
		n.taken[imp.PackageName()] = true
	}
	return n
}

func (n *namer) take(name string) { n.taken[name] = true }

// Reserved tells whether name is declared by the generated files or is a
// predeclared identifier, and so cannot name anything else in them.
func Reserved(name string) bool {
	return predeclared[name] || slices.Contains(fileNames, name)
}

// forType names a parameter after its type: req for *sdk.Request.
func (n *namer) forType(typ ast.Expr, isContext bool) string {
	base := "ctx"
	if !isContext {
		base = baseName(typ)
	}
	return n.unique(base)
}

// unique returns base, or base with a number, whichever is free first, and
// takes it.
func (n *namer) unique(base string) string {
	name := base
	for i := 2; n.taken[name] || token.IsKeyword(name) || predeclared[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	n.take(name)
	return name
}

var short = map[string]string{
	"string": "s", "bool": "ok", "error": "e", "any": "v", "byte": "b", "rune": "r",
	"int": "n", "int64": "n", "int32": "n", "uint": "n", "uint64": "n", "uint32": "n",
	"float64": "f", "float32": "f",
}

func baseName(typ ast.Expr) string {
	switch t := typ.(type) {
	case *ast.StarExpr:
		return baseName(t.X)
	case *ast.Ellipsis:
		return baseName(t.Elt) + "s"
	case *ast.SelectorExpr:
		return abbreviate(t.Sel.Name)
	case *ast.Ident:
		if s, ok := short[t.Name]; ok {
			return s
		}
		return abbreviate(t.Name)
	case *ast.ArrayType:
		return baseName(t.Elt) + "s"
	case *ast.MapType:
		return "m"
	case *ast.ChanType:
		return "ch"
	case *ast.FuncType:
		return "fn"
	}
	return "v"
}

// abbreviate turns a type name into a parameter name: Request → req,
// ResponseWriter → w, anything else → its lower-cased name.
func abbreviate(name string) string {
	switch name {
	case "Request":
		return "req"
	case "Response":
		return "resp"
	case "ResponseWriter":
		return "w"
	case "Context":
		return "ctx"
	}
	r := []rune(name)
	r[0] = unicode.ToLower(r[0])
	for i := 1; i < len(r) && unicode.IsUpper(r[i]) && (i+1 == len(r) || unicode.IsUpper(r[i+1])); i++ {
		r[i] = unicode.ToLower(r[i])
	}
	return strings.ReplaceAll(string(r), "_", "")
}

var predeclared = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`any append bool byte cap clear close comparable complex complex128
		complex64 copy delete error false float32 float64 imag int int16 int32 int64 int8 iota len make
		max min new nil panic print println real recover rune string true uint uint16 uint32 uint64 uint8
		uintptr`) {
		predeclared[s] = true
	}
}
