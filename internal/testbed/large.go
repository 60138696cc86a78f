package testbed

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/gocmd"
)

// A Scale says how large a generated host and plugin are.
type Scale struct {
	// Packages is the number of generated packages both import.
	Packages int
	// Size pads the host to about this many bytes with embedded data.
	Size int64
}

// GatewayScale is the scale of a real API gateway: about a thousand
// packages shared with its plugins (with the standard library's), and a
// 100 MB binary.
var GatewayScale = Scale{Packages: 900, Size: 100 << 20}

// Large writes a module of generated packages into dir/src and builds
// from it a host that can load plugins and a plugin, both importing every
// package and built alike; the host's main package looks the plugin's
// Plugin up, so that it is a loader, which imports every package. They stand in for a real gateway and its plugin where
// size matters, as in benchmarks. Files already built in dir are reused.
func Large(dir string, s Scale) (host, plugin string, err error) {
	host, plugin = filepath.Join(dir, "host"), filepath.Join(dir, "plugin.so")
	if _, err := os.Stat(plugin); err == nil {
		return host, plugin, nil
	}
	src := filepath.Join(dir, "src")
	if err := writeLarge(src, s); err != nil {
		return "", "", err
	}
	env := os.Environ()
	for k, v := range map[string]string{"CGO_ENABLED": "1", "GOWORK": "off", "GOFLAGS": "-buildvcs=false", "GOPROXY": "off"} {
		env = gocmd.Setenv(env, k, v)
	}
	for _, args := range [][]string{
		{"build", "-trimpath", "-o", host, "./host"},
		{"build", "-trimpath", "-buildmode=plugin", "-o", plugin, "./plugin"},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = src, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return host, plugin, nil
}

// writeLarge writes the module: packages with functions, types and
// methods that all stay linked, each importing two others, and a host
// embedding a blob of random bytes that brings it to the size asked for.
func writeLarge(src string, s Scale) error {
	files := map[string]string{"go.mod": "module example.com/large\n\ngo 1.26\n"}
	var imports, uses []string
	for i := range s.Packages {
		name := fmt.Sprintf("p%03d", i)
		files["pkgs/"+name+"/p.go"] = largePackage(i)
		imports = append(imports, fmt.Sprintf("\t%q", "example.com/large/pkgs/"+name))
		uses = append(uses, fmt.Sprintf("\t%s.Funcs,", name))
	}
	list := strings.Join(imports, "\n")
	all := "var all = [][]any{\n" + strings.Join(uses, "\n") + "\n}\n"
	files["host/main.go"] = "package main\n\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n\t\"plugin\"\n\n" + list + "\n)\n\n" +
		"//go:embed blob\nvar blob []byte\n\n" + all +
		"func main() {\n\tp, err := plugin.Open(\"plugin.so\")\n\tif err != nil {\n\t\tfmt.Println(err, len(all), len(blob))\n\t\treturn\n\t}\n" +
		"\tsym, err := p.Lookup(\"Plugin\")\n\tif err != nil {\n\t\tfmt.Println(err)\n\t\treturn\n\t}\n" +
		"\tif v, ok := sym.(*[][]any); ok {\n\t\tfmt.Println(len(*v))\n\t}\n}\n"
	files["plugin/main.go"] = "package main\n\nimport (\n" + list + "\n)\n\n" + all +
		"// Plugin is what the host looks up.\nvar Plugin = all\n"
	for name, data := range files {
		if err := writeFile(filepath.Join(src, name), []byte(data)); err != nil {
			return err
		}
	}
	// The blob pads the host up to the size asked for, beyond what the
	// code gives: a fixed guess at the code's share keeps this one step.
	pad := s.Size - int64(s.Packages)*99<<10
	blob := make([]byte, max(pad, 0))
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+8 <= len(blob); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			blob[i+j] = byte(v >> (8 * j))
		}
	}
	return writeFile(filepath.Join(src, "host", "blob"), blob)
}

// largePackage is package p<i>: 40 functions, and 20 types with 3
// methods each, listed in Funcs so the linker keeps them.
func largePackage(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// Package p%03d is generated.\npackage p%03d\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n", i, i)
	deps := []int{}
	for _, d := range []int{i / 2, i / 3} {
		if d < i && (len(deps) == 0 || deps[0] != d) {
			deps = append(deps, d)
			fmt.Fprintf(&b, "\t\"example.com/large/pkgs/p%03d\"\n", d)
		}
	}
	b.WriteString(")\n\n")
	var funcs []string
	for f := range 40 {
		call := ""
		if len(deps) > 0 {
			call = fmt.Sprintf(" + p%03d.F%d(s[:len(s)/2])", deps[f%len(deps)], f)
		}
		fmt.Fprintf(&b, "func F%d(s string) string {\n\tif len(s) > %d {\n\t\treturn strings.ToUpper(s)%s\n\t}\n\treturn fmt.Sprintf(\"%%s-%d-%d\", s)\n}\n\n", f, f+3, call, i, f)
		funcs = append(funcs, fmt.Sprintf("F%d", f))
	}
	for ty := range 20 {
		fmt.Fprintf(&b, "type T%d struct {\n\tA int\n\tB string\n\tC []float64\n}\n\n", ty)
		for m := range 3 {
			fmt.Fprintf(&b, "func (t *T%d) M%d(x int) string {\n\tt.A += x * %d\n\tt.C = append(t.C, float64(t.A))\n\treturn fmt.Sprint(t.A, t.B, len(t.C))\n}\n\n", ty, m, m+1)
			funcs = append(funcs, fmt.Sprintf("(*T%d).M%d", ty, m))
		}
	}
	fmt.Fprintf(&b, "// Funcs keeps every function linked.\nvar Funcs = []any{%s}\n", strings.Join(funcs, ", "))
	return b.String()
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}
