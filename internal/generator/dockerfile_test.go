package generator

import (
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestDockerfiles parses the generated Dockerfiles with BuildKit's own
// parser and checks their shape: a builder stage from the exact image the
// manifest pins, installing its packages, running the Makefile with the
// module and build caches mounted; a last stage holding only the .so.
func TestDockerfiles(t *testing.T) {
	o := helloWorld(t)
	tree, err := Render(&o)
	if err != nil {
		t.Fatal(err)
	}
	for _, family := range o.Libc {
		t.Run(family, func(t *testing.T) {
			name := "Dockerfile." + family
			src, ok := tree[name]
			if !ok {
				t.Fatalf("%s not generated", name)
			}
			res, err := parser.Parse(strings.NewReader(string(src)))
			if err != nil {
				t.Fatalf("parsing %s: %v", name, err)
			}
			stages, _, err := instructions.Parse(res.AST, nil)
			if err != nil {
				t.Fatalf("parsing %s instructions: %v", name, err)
			}
			if len(stages) != 2 {
				t.Fatalf("%s has %d stages, want 2", name, len(stages))
			}
			images := o.Manifest.Libc.Images(family)
			build, last := stages[0], stages[1]
			if build.BaseName != images.Builder {
				t.Errorf("build stage FROM %q, want the manifest's builder %q", build.BaseName, images.Builder)
			}
			var runs []*instructions.RunCommand
			for _, c := range build.Commands {
				if r, ok := c.(*instructions.RunCommand); ok {
					runs = append(runs, r)
				}
			}
			installs := strings.Join(runs[0].CmdLine, " ")
			for _, p := range images.Packages {
				if !slices.Contains(strings.Fields(installs), p) {
					t.Errorf("first RUN %q does not install %s", installs, p)
				}
			}
			makeBuild := runs[len(runs)-1]
			if cmd := strings.Join(makeBuild.CmdLine, " "); !strings.HasPrefix(cmd, "make build LIBC="+family+" ") {
				t.Errorf("last RUN is %q, want make build LIBC=%s ...", cmd, family)
			}
			// Mount flags are read when a command is expanded.
			if err := makeBuild.Expand(func(w string) (string, error) { return w, nil }); err != nil {
				t.Fatal(err)
			}
			mounts := instructions.GetMounts(makeBuild)
			var targets []string
			for _, m := range mounts {
				if m.Type == instructions.MountTypeCache {
					targets = append(targets, m.Target)
				}
			}
			for _, want := range []string{"/go/pkg/mod", "/root/.cache/go-build"} {
				if !slices.Contains(targets, want) {
					t.Errorf("make build RUN mounts caches at %v, want %s among them", targets, want)
				}
			}
			if last.BaseName != "scratch" || len(last.Commands) != 1 {
				t.Fatalf("last stage is FROM %s with %d instructions, want FROM scratch with one COPY", last.BaseName, len(last.Commands))
			}
			cp, ok := last.Commands[0].(*instructions.CopyCommand)
			if !ok {
				t.Fatalf("last stage's instruction is %T, want COPY", last.Commands[0])
			}
			if cp.From != build.Name || len(cp.SourcePaths) != 1 || !strings.HasSuffix(cp.SourcePaths[0], "/*.so") {
				t.Errorf("last stage copies %v from %q, want only the .so from %q", cp.SourcePaths, cp.From, build.Name)
			}
		})
	}
}
