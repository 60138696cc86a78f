package generator

import (
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// TestDockerfiles parses the generated Dockerfiles with BuildKit's own
// parser and checks their shape: a builder stage from the exact image the
// manifest pins, fully qualified, installing its packages, running the Makefile with the
// module and build caches mounted; a last stage holding only the .so.
func TestDockerfiles(t *testing.T) {
	o := helloWorld(t)
	// The musl builder pinned by a digest beside it too.
	o.Manifest.Libc.Musl.BuilderDigest = "sha256:" + strings.Repeat("ab", 32)
	want := map[string]string{
		manifest.Glibc: "docker.io/library/golang:1.26.8-bookworm",
		manifest.Musl:  "docker.io/library/golang:1.26.8-alpine3.22@sha256:" + strings.Repeat("ab", 32),
	}
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
			// Named in full, as buildah and podman need, and pinned to
			// the digest the manifest gives.
			if build.BaseName != want[family] {
				t.Errorf("build stage FROM %q, want the manifest's builder %q as %q", build.BaseName, images.Builder, want[family])
			}
			// The builder runs on the build machine and cross-compiles.
			if build.Platform != "$BUILDPLATFORM" {
				t.Errorf("build stage FROM --platform=%q, want $BUILDPLATFORM", build.Platform)
			}
			args := map[string]bool{}
			for _, c := range build.Commands {
				if a, ok := c.(*instructions.ArgCommand); ok {
					for _, kv := range a.Args {
						args[kv.Key] = true
					}
				}
			}
			for _, want := range []string{"TARGETARCH", "SOURCE_DATE_EPOCH", "GOPROXY", "VERSION"} {
				if !args[want] {
					t.Errorf("build stage declares ARGs %v, want %s among them", args, want)
				}
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
			cmd := strings.Join(makeBuild.CmdLine, " ")
			if !strings.HasPrefix(cmd, "make build LIBC="+family+" ") {
				t.Errorf("last RUN is %q, want make build LIBC=%s ...", cmd, family)
			}
			for _, want := range []string{"${TARGETARCH:+GOARCH=$TARGETARCH}", "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"} {
				if !strings.Contains(cmd, want) {
					t.Errorf("last RUN is %q, want %s in it", cmd, want)
				}
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

// TestDockerfileFamilies checks that each builder family installs with its
// own package manager: apk on Alpine, apt-get (and musl-tools for a musl
// build) on Debian; that only a Debian glibc builder installs cross
// compilers; and that the family comes from the manifest's family field
// when the image's name does not tell. Alpine Dockerfiles are checked here
// only, by BuildKit's parser: no Alpine image can be made on the machines
// the container builds run on (Debian's packages make only Debian images).
func TestDockerfileFamilies(t *testing.T) {
	for _, tc := range []struct {
		libc, builder, family string
		packages              []string
		want, notWant         []string
	}{
		{libc: "musl", builder: "golang:1.26.8-alpine3.22", packages: []string{"build-base", "make"},
			want: []string{"apk add --no-cache bash build-base make"}, notWant: []string{"apt-get", "musl-tools", "cross-packages"}},
		{libc: "musl", builder: "golang:1.26.8-bookworm", packages: []string{"make"},
			want: []string{"apt-get install -y --no-install-recommends musl-tools make"}, notWant: []string{"apk", "cross-packages"}},
		{libc: "musl", builder: "registry.example.com/go:1.26.8", family: "debian",
			want: []string{"apt-get install -y --no-install-recommends musl-tools"}, notWant: []string{"apk"}},
		{libc: "musl", builder: "registry.example.com/go:1.26.8", family: "alpine", packages: []string{"build-base"},
			want: []string{"apk add --no-cache bash build-base"}, notWant: []string{"apt-get"}},
		{libc: "glibc", builder: "golang:1.26.8-bookworm",
			want: []string{"make --no-print-directory -s cross-packages ${TARGETARCH:+GOARCH=$TARGETARCH}", "apt-get install -y --no-install-recommends $pkgs"}, notWant: []string{"apk", "musl-tools"}},
	} {
		t.Run(tc.libc+"/"+tc.builder+"/"+tc.family, func(t *testing.T) {
			o := helloWorld(t)
			m := *o.Manifest
			images := &manifest.Images{Builder: tc.builder, Runtime: "alpine:3.22", Packages: tc.packages, Family: tc.family}
			m.Libc = manifest.Libc{}
			if tc.libc == "musl" {
				m.Libc.Musl = images
			} else {
				m.Libc.Glibc = images
			}
			m.Registration.Artifact = ""
			o.Manifest, o.Libc = &m, []string{tc.libc}
			tree, err := Render(&o)
			if err != nil {
				t.Fatal(err)
			}
			src := string(tree["Dockerfile."+tc.libc])
			res, err := parser.Parse(strings.NewReader(src))
			if err != nil {
				t.Fatalf("parsing: %v", err)
			}
			if _, _, err := instructions.Parse(res.AST, nil); err != nil {
				t.Fatalf("parsing instructions: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(src, w) {
					t.Errorf("Dockerfile.%s lacks %q:\n%s", tc.libc, w, src)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(src, w) {
					t.Errorf("Dockerfile.%s has %q:\n%s", tc.libc, w, src)
				}
			}
		})
	}
	// A musl builder whose name says nothing, without a family, is refused.
	o := helloWorld(t)
	m := *o.Manifest
	m.Libc = manifest.Libc{Musl: &manifest.Images{Builder: "registry.example.com/go:1.26.8", Runtime: "alpine:3.22"}}
	m.Registration.Artifact = ""
	o.Manifest, o.Libc = &m, []string{"musl"}
	if _, err := Render(&o); err == nil || !strings.Contains(err.Error(), "libc.musl.family") {
		t.Errorf("rendering for a musl builder of no known family: got %v, want an error naming libc.musl.family", err)
	}
}
