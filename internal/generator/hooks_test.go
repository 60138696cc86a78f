package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// fakeSDK is an SDK package with the kinds of types contracts use: structs,
// a named basic type, an interface, a func type.
const fakeSDK = `package sdk

import "net/http"

type Request struct{ Header map[string]string }
type Response struct{ Status int }
type Level int
type Config struct{ Name string }
type Logger interface{ Log(string) }
type Handler func(*Request) error

var _ = http.MethodGet
`

// TestHookCodeCompiles generates the hook code for contracts with every
// shape of signature the generator must handle, and compiles, vets and
// tests it against a fake SDK: the generated code is valid Go that
// implements the interface exactly, whatever the signatures.
func TestHookCodeCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet and go test")
	}
	methods := []manifest.Method{
		{Name: "Name", Signature: "func() string"},
		{Name: "OnRequest", Signature: "func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)"},
		{Name: "Unnamed", Signature: "func(context.Context, *sdk.Request, *sdk.Response) (*sdk.Response, error)"},
		{Name: "Level", Signature: "func(ctx context.Context) (sdk.Level, bool, error)"},
		{Name: "Configure", Signature: "func(cfg sdk.Config, log sdk.Logger) error"},
		{Name: "Variadic", Signature: "func(ctx context.Context, names ...string) []string"},
		{Name: "NamedResults", Signature: "func(in []byte) (out []byte, err error)"},
		{Name: "Serve", Signature: "func(w http.ResponseWriter, r *http.Request)"},
		{Name: "Handle", Signature: "func(h sdk.Handler, m map[string]any, ch chan<- int) (sdk.Handler, int64)"},
		{Name: "Shadow", Signature: "func(p string, sdk2 int, string2 bool) string"},
		{Name: "Close", Signature: "func() error"},
		{Name: "Done", Signature: "func(ctx context.Context)"},
	}
	o := helloWorld(t)
	o.Manifest.Contract.Imports = []manifest.Import{{Path: "context"}, {Path: "example.com/gateway/sdk"}, {Path: "net/http"}}
	o.Manifest.Contract.Methods = methods
	if err := o.Manifest.Validate(); err != nil {
		t.Fatal(err)
	}
	tree, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	// One module holding the fake SDK and the plugin, so nothing is
	// fetched.
	dir := t.TempDir()
	var iface strings.Builder
	iface.WriteString("\ntype Plugin interface {\n")
	for _, m := range methods {
		iface.WriteString("\t" + m.Name + strings.ReplaceAll(strings.TrimPrefix(m.Signature, "func"), "sdk.", "") + "\n")
	}
	iface.WriteString("}\n")
	files := map[string]string{
		"go.mod":           "module example.com/gateway\n\ngo 1.22\n",
		"sdk/sdk.go":       strings.Replace(fakeSDK, `import "net/http"`, "import (\n\t\"context\"\n\t\"net/http\"\n)\n\nvar _ context.Context", 1) + iface.String(),
		"p/plugin.go":      string(tree["plugin.go"]),
		"p/plugin_test.go": string(tree["plugin_test.go"]),
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "./p"}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s\nplugin.go:\n%s\nplugin_test.go:\n%s", strings.Join(args, " "), err, out, tree["plugin.go"], tree["plugin_test.go"])
		}
	}
}
