package upgrade

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

func contract(methods ...string) *manifest.Contract {
	k := &manifest.Contract{
		Kind: manifest.KindInterfaceVariable, Package: "example.com/gateway/sdk", Interface: "Plugin", Symbol: "Plugin",
		Imports: []manifest.Import{{Path: "context"}, {Path: "example.com/gateway/sdk"}},
	}
	for _, m := range methods {
		name, sig, _ := strings.Cut(m, " ")
		k.Methods = append(k.Methods, manifest.Method{Name: name, Signature: sig})
	}
	return k
}

func TestMemberChanges(t *testing.T) {
	old := contract(
		"Name func() string",
		"OnRequest func(ctx context.Context, req *sdk.Request) error",
		"Close func() error",
		"Level func(n int) int",
	)
	new := contract(
		"Name func() string",
		"OnRequest func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)",
		"Level func(level int) (n int)", // names only: no change
		"OnResponse func(ctx context.Context, req *sdk.Request) error",
	)
	got := memberChanges(old, new, lock.Answers{}, lock.Answers{})
	want := []Change{
		{Kind: MemberChanged, Method: true, Name: "OnRequest", Old: "func(ctx context.Context, req *sdk.Request) error", New: "func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)"},
		{Kind: MemberAdded, Method: true, Name: "OnResponse", New: "func(ctx context.Context, req *sdk.Request) error"},
		{Kind: MemberRemoved, Method: true, Name: "Close", Old: "func() error"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("memberChanges:\n got %+v\nwant %+v", got, want)
	}
	// The package's name in signatures is not part of the type.
	renamed := contract("Name func() string", "OnRequest func(ctx context.Context, req *gw.Request) error", "Close func() error", "Level func(n int) int")
	renamed.Imports[1].Name = "gw"
	if got := memberChanges(old, renamed, lock.Answers{}, lock.Answers{}); len(got) != 0 {
		t.Errorf("a renamed import changed %+v, want nothing", got)
	}
}

const authorCode = `package main

import (
	"context"

	gw "example.com/gateway/sdk"
)

type helloWorld struct{}

func (p *helloWorld) Name() string { return "x" }

// A helper of the author's, on another type.
type other struct{}

func (o other) OnRequest() {}

func (p *helloWorld) OnRequest(ctx context.Context, r *gw.Request) error {
	return nil
}

func (p helloWorld) Close() error { return nil }

func Init(config string) error { return nil }
`

func TestSettle(t *testing.T) {
	c := parseCode(filetree.Tree{"plugin.go": []byte(authorCode), "plugin_test.go": []byte("package main\n\nfunc (p *helloWorld) Extra() {}\n")})
	k := contract("Name func() string", "OnRequest func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)", "Extra func()", "Missing func()")
	typ := c.implementing("nothing", "helloWorld")
	if typ != "helloWorld" {
		t.Fatalf("implementing type %q, want helloWorld", typ)
	}
	for _, tc := range []struct {
		ch       Change
		stub     bool
		at, have string
		fix      string
	}{
		{ch: Change{Kind: MemberChanged, Method: true, Name: "OnRequest", New: k.Methods[1].Signature}, at: "plugin.go:18",
			have: "func(ctx context.Context, r *gw.Request) error", fix: "change the signature of OnRequest at plugin.go:18 to func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)"},
		{ch: Change{Kind: MemberChanged, Method: true, Name: "Name", New: "func() string"}, at: "plugin.go:11", have: "func() string"},
		{ch: Change{Kind: MemberAdded, Method: true, Name: "Missing", New: "func()"}, stub: true},
		// Test files are not the plugin's code.
		{ch: Change{Kind: MemberAdded, Method: true, Name: "Extra", New: "func()"}, stub: true},
		{ch: Change{Kind: MemberAdded, Method: true, Name: "Name", New: "func() int"}, at: "plugin.go:11", have: "func() string",
			fix: "plugin.go:11 already declares Name with another signature: change it to func() int"},
		{ch: Change{Kind: MemberRemoved, Method: true, Name: "Close", Old: "func() error"}, at: "plugin.go:22", have: "func() error",
			fix: "the host no longer calls Close: remove it at plugin.go:22, or rename it if other code uses it"},
		{ch: Change{Kind: MemberRemoved, Method: true, Name: "Gone", Old: "func()"}},
		// A symbol of the package, not a method: the author's function
		// of that name, whatever types have methods so named.
		{ch: Change{Kind: MemberChanged, Name: "Init", New: "func(config any) error"}, at: "plugin.go:24",
			have: "func(config string) error", fix: "change the signature of Init at plugin.go:24 to func(config any) error"},
		{ch: Change{Kind: MemberAdded, Name: "OnRequest", New: "func()"}, stub: true},
	} {
		ch := tc.ch
		stub := c.settle(&ch, typ, k)
		if stub != tc.stub || ch.At != tc.at || ch.Have != tc.have || ch.Fix != tc.fix {
			t.Errorf("%s %s: stub %v, at %q, have %q, fix %q; want %v, %q, %q, %q", tc.ch.Kind, tc.ch.Name, stub, ch.At, ch.Have, ch.Fix, tc.stub, tc.at, tc.have, tc.fix)
		}
	}
	// Without the implementing type, nothing can be stubbed or found.
	ch := Change{Kind: MemberAdded, Method: true, Name: "Missing", New: "func()"}
	if c.settle(&ch, "", k) || ch.Fix == "" {
		t.Errorf("no type: stub or no fix: %+v", ch)
	}
}

func TestVerify(t *testing.T) {
	c := parseCode(filetree.Tree{"plugin.go": []byte(authorCode)})
	k := contract("Name func() string", "OnRequest func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)", "Close func() error")
	got := verify(k, lock.Answers{}, c, []string{"helloWorld"})
	if len(got) != 1 || got[0].Name != "OnRequest" || got[0].At != "plugin.go:18" || !got[0].Pending() {
		t.Errorf("verify = %+v, want OnRequest at plugin.go:18 to fix", got)
	}
	k = contract("Name func() string", "OnRequest func(ctx context.Context, req *sdk.Request) error")
	if got := verify(k, lock.Answers{}, c, []string{"helloWorld"}); len(got) != 0 {
		t.Errorf("verify = %+v, want nothing to fix", got)
	}

	// A required method the type does not have, as after an upgrade whose
	// stub could not be written while the type's file held conflict
	// markers: to fix, not up to date.
	k = contract("Name func() string", "OnRequest func(ctx context.Context, req *sdk.Request) error", "Describe func() string")
	got = verify(k, lock.Answers{}, c, []string{"helloWorld"})
	want := "no method Describe was found on helloWorld: give the plugin's Describe the signature func() string"
	if len(got) != 1 || got[0].Name != "Describe" || got[0].Fix != want {
		t.Errorf("verify = %+v, want Describe to add: %q", got, want)
	}
	// A required function of the package, likewise.
	k = &manifest.Contract{Kind: manifest.KindSymbols, Symbols: []manifest.Symbol{
		{Name: "Init", Type: "func(config string) error", Required: true},
		{Name: "Cleanup", Type: "func() error", Required: true},
		{Name: "Stats", Type: "func() int"},
	}}
	got = verify(k, lock.Answers{}, c, []string{"helloWorld"})
	want = "no function Cleanup was found in package main: export one with the signature func() error"
	if len(got) != 1 || got[0].Name != "Cleanup" || got[0].Fix != want {
		t.Errorf("verify = %+v, want Cleanup to add: %q", got, want)
	}

	// Where the code cannot tell, nothing is reported missing: a file
	// that does not parse, a type embedding another.
	k = contract("Name func() string", "Describe func() string")
	broken := parseCode(filetree.Tree{"plugin.go": []byte(authorCode), "more.go": []byte("package main\n<<<<<<< yours\n")})
	if got := verify(k, lock.Answers{}, broken, []string{"helloWorld"}); len(got) != 0 {
		t.Errorf("a file that does not parse: verify = %+v, want nothing", got)
	}
	embedding := parseCode(filetree.Tree{"plugin.go": []byte(strings.Replace(authorCode, "type helloWorld struct{}", "type helloWorld struct{ base }", 1))})
	if got := verify(k, lock.Answers{}, embedding, []string{"helloWorld"}); len(got) != 0 {
		t.Errorf("an embedded field: verify = %+v, want nothing", got)
	}
}

// TestStubs checks that stubs for added methods carry exactly the imports
// they use, honour the context like the generated hooks, and go to a file
// of their own beside any the author has.
func TestStubs(t *testing.T) {
	u := &upgrader{o: &Options{Manifest: release(t, "v1.0.0")}, res: &Result{}, out: filetree.Tree{}, src: filetree.Tree{"hooks_v1.0.0.go": []byte("package main\n")}}
	file, err := u.writeStubs("helloWorld", []Change{{Kind: MemberAdded, Name: "Name", Method: true, New: "func() string"}})
	if err != nil {
		t.Fatal(err)
	}
	if file != "hooks_v1.0.0_2.go" {
		t.Errorf("stub file %s, want hooks_v1.0.0_2.go beside the author's hooks_v1.0.0.go", file)
	}
	got := string(u.out[file])
	if strings.Contains(got, "import") {
		t.Errorf("stubs for Name() string import something:\n%s", got)
	}
	if !strings.Contains(got, "func (p *helloWorld) Name() string {\n\treturn \"\"\n}") {
		t.Errorf("stub for Name:\n%s", got)
	}
	file, err = u.writeStubs("helloWorld", []Change{{Kind: MemberAdded, Name: "OnRequest", Method: true, New: "func(ctx context.Context, req *sdk.Request) (*sdk.Request, error)"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `import (
	"context"

	"example.com/gateway/sdk"
)`
	if got := string(u.out[file]); !strings.Contains(got, want) || !strings.Contains(got, "if err := ctx.Err(); err != nil {\n\t\treturn req, err\n\t}") {
		t.Errorf("stub for OnRequest:\n%s", got)
	}
}
