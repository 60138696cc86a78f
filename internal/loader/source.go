package loader

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/semver"

	"github.com/scaffold-dev/scaffold/internal/input"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// A Source type-checks packages of a host's build from their Go source,
// as the host's build would select the files: the host's GOOS, GOARCH,
// cgo setting, tags and Go release. Nothing is compiled. The packages
// asked for with [Source.Check] are checked whole, function bodies
// included; the packages they import, only as far as their declarations,
// which is all their importers see.
type Source struct {
	// Fset holds the positions of every file read.
	Fset *token.FileSet

	ctx    context.Context
	ctxt   build.Context
	goVer  string
	mods   *Modules
	main   Module // the host's own module, when its source is at hand
	goroot string

	mu   sync.Mutex
	pkgs map[string]*entry
	full map[string]bool
}

// A Build says how the host was built, for selecting files as its build
// did.
type Build struct {
	GoVersion  string // such as go1.26.8
	GOOS       string
	GOARCH     string
	CGO        bool
	Tags       []string
	GOAMD64    string
	Experiment string
}

type entry struct {
	once  sync.Once
	pkg   *types.Package
	files []*ast.File
	info  *types.Info
	dir   string
	err   error // the package could not be read
	soft  error // the first type error, when it was read
}

// NewSource returns a Source reading the standard library from goroot and
// every other package from the modules of mods; main, when it has a Dir,
// is the host's own module.
func NewSource(ctx context.Context, goroot string, b Build, mods *Modules, main Module) *Source {
	ctxt := build.Default
	ctxt.GOROOT = goroot
	ctxt.GOPATH = ""
	ctxt.GOOS, ctxt.GOARCH = b.GOOS, b.GOARCH
	ctxt.CgoEnabled = b.CGO
	ctxt.BuildTags = slices.Clone(b.Tags)
	ctxt.ReleaseTags = releaseTags(b.GoVersion)
	ctxt.ToolTags = toolTags(b)
	ctxt.Dir = ""
	ctxt.OpenFile = func(path string) (io.ReadCloser, error) { return input.Open(path, input.SourceLimit) }
	return &Source{
		Fset:   token.NewFileSet(),
		ctx:    ctx,
		ctxt:   ctxt,
		goVer:  langVersion(b.GoVersion),
		mods:   mods,
		main:   main,
		goroot: goroot,
		pkgs:   map[string]*entry{},
		full:   map[string]bool{},
	}
}

// releaseTags are the go1.N tags a build with Go release v satisfies.
func releaseTags(v string) []string {
	minor := 0
	if mm := semver.MajorMinor("v" + strings.TrimPrefix(v, "go")); mm != "" {
		minor, _ = strconv.Atoi(strings.TrimPrefix(mm, "v1."))
	}
	if minor == 0 {
		return slices.Clone(build.Default.ReleaseTags)
	}
	var tags []string
	for i := 1; i <= minor; i++ {
		tags = append(tags, fmt.Sprintf("go1.%d", i))
	}
	return tags
}

// toolTags are the tags the toolchain sets for an experiment or an amd64
// level.
func toolTags(b Build) []string {
	var tags []string
	for _, e := range strings.Split(b.Experiment, ",") {
		if e != "" && !strings.HasPrefix(e, "no") {
			tags = append(tags, "goexperiment."+e)
		}
	}
	if b.GOARCH == "amd64" {
		level := 1
		if n, err := strconv.Atoi(strings.TrimPrefix(b.GOAMD64, "v")); err == nil {
			level = n
		}
		for i := 1; i <= level; i++ {
			tags = append(tags, fmt.Sprintf("amd64.v%d", i))
		}
	}
	return tags
}

// langVersion is the language version the type checker holds source to.
func langVersion(v string) string {
	if mm := semver.MajorMinor("v" + strings.TrimPrefix(v, "go")); mm != "" {
		return "go" + strings.TrimPrefix(mm, "v")
	}
	return ""
}

// A Package is a package checked whole, with what the type checker
// recorded of its syntax.
type Package struct {
	Path  string
	Dir   string
	Types *types.Package
	Files []*ast.File
	Info  *types.Info
	Fset  *token.FileSet
	// Err is the first type error the package has, if any: what it
	// declares and asserts around the error still reads.
	Err error
}

// Check type-checks the package at path whole, function bodies and
// comments included. It must be asked for before any package importing it
// is checked, which would otherwise have checked it as a dependency only.
func (s *Source) Check(path string) (*Package, error) {
	s.mu.Lock()
	s.full[path] = true
	s.mu.Unlock()
	e := s.load(path, "")
	if e.err != nil {
		return nil, e.err
	}
	if e.info == nil {
		return nil, fmt.Errorf("package %s was read as a dependency before it was asked for", path)
	}
	return &Package{Path: path, Dir: e.dir, Types: e.pkg, Files: e.files, Info: e.info, Fset: s.Fset, Err: e.soft}, nil
}

// Imports returns the import paths of the files of the package at path
// that the host's build selects, read with the parser alone.
func (s *Source) Imports(path string) ([]string, error) {
	dir, err := s.dir(path, "")
	if err != nil {
		return nil, err
	}
	names, err := s.goFiles(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range names {
		f, err := parseFile(fset, filepath.Join(dir, name), parser.ImportsOnly|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err == nil {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Import implements [types.Importer].
func (s *Source) Import(path string) (*types.Package, error) {
	return s.ImportFrom(path, "", 0)
}

// ImportFrom implements [types.ImporterFrom]: srcDir tells a standard
// package's vendored imports from others.
func (s *Source) ImportFrom(path, srcDir string, _ types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	e := s.load(path, srcDir)
	if e.pkg == nil {
		return nil, e.err
	}
	// A package with errors is still returned: what it declares is
	// what its importers need.
	return e.pkg, nil
}

func (s *Source) load(path, srcDir string) *entry {
	key := path
	if s.inGoroot(srcDir) && !isStd(path) {
		key = "vendor/" + path
	}
	s.mu.Lock()
	e, ok := s.pkgs[key]
	if !ok {
		e = &entry{}
		s.pkgs[key] = e
	}
	full := s.full[path]
	s.mu.Unlock()
	e.once.Do(func() { s.check(e, path, srcDir, full) })
	return e
}

func (s *Source) inGoroot(dir string) bool {
	return dir != "" && strings.HasPrefix(dir, filepath.Join(s.goroot, "src")+string(filepath.Separator))
}

// isStd tells whether path is a standard library import path: one whose
// first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// dir finds the directory of the package at path, imported from srcDir.
func (s *Source) dir(path, srcDir string) (string, error) {
	if s.inGoroot(srcDir) && !isStd(path) {
		return filepath.Join(s.goroot, "src", "vendor", filepath.FromSlash(path)), nil
	}
	if isStd(path) {
		return filepath.Join(s.goroot, "src", filepath.FromSlash(path)), nil
	}
	if s.inMain(path) {
		return filepath.Join(s.main.Dir, filepath.FromSlash(strings.TrimPrefix(path, s.main.Path))), nil
	}
	return s.mods.PackageDir(s.ctx, path)
}

// parseFile parses a source file, read within the limit of one.
func parseFile(fset *token.FileSet, name string, mode parser.Mode) (*ast.File, error) {
	src, err := input.ReadFile(name, input.SourceLimit)
	if err != nil {
		return nil, err
	}
	return parser.ParseFile(fset, name, src, mode)
}

// goFiles lists the Go files of dir the host's build compiles, tests left
// out.
func (s *Source) goFiles(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, de := range des {
		name := de.Name()
		if de.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		ok, err := s.ctxt.MatchFile(dir, name)
		if err != nil {
			return nil, err
		}
		if ok {
			names = append(names, name)
		}
	}
	return names, nil
}

func (s *Source) check(e *entry, path, srcDir string, full bool) {
	files, ok := s.parse(e, path, srcDir, full)
	if !ok {
		return
	}
	if full {
		// A loader's own package: first with only the imports its
		// lookups can involve, which is enough when what they involve
		// checks; else whole.
		needed, relevant := lookupImports(files)
		s.typecheck(e, path, files, true, needed)
		if sliceHolds(e.info, relevant) {
			return
		}
		e.pkg, e.files, e.info, e.soft = nil, nil, nil, nil
	}
	s.typecheck(e, path, files, full, nil)
	if !full {
		// What importers need is the package's types; its syntax is
		// let go of.
		e.files = nil
	}
}

// parse reads the files of the package at path that the host's build
// compiles.
func (s *Source) parse(e *entry, path, srcDir string, full bool) ([]*ast.File, bool) {
	dir, err := s.dir(path, srcDir)
	if err != nil {
		e.err = err
		return nil, false
	}
	e.dir = dir
	names, err := s.goFiles(dir)
	if err != nil {
		e.err = fmt.Errorf("package %s: %w", path, err)
		return nil, false
	}
	if len(names) == 0 {
		e.err = fmt.Errorf("package %s: no Go files in %s for this build", path, dir)
		return nil, false
	}
	mode := parser.SkipObjectResolution
	if full {
		mode |= parser.ParseComments
	}
	files := make([]*ast.File, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			files[i], errs[i] = parseFile(s.Fset, filepath.Join(dir, name), mode)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		e.err = fmt.Errorf("package %s: %w", path, err)
		return nil, false
	}
	return files, true
}

// typecheck checks the package's files. With needed, only the imports it
// lists are read; the others stand for empty packages, and what refers
// to them does not check, and its errors are left to sliceHolds to judge.
func (s *Source) typecheck(e *entry, path string, files []*ast.File, full bool, needed map[string]bool) {
	// The imports are read side by side before the package is checked,
	// which then finds each of them done.
	var imports []string
	for _, f := range files {
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err == nil && p != "C" && p != "unsafe" && (needed == nil || needed[p]) {
				imports = append(imports, p)
			}
		}
	}
	slices.Sort(imports)
	var wg sync.WaitGroup
	for _, p := range slices.Compact(imports) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.load(p, e.dir)
		}()
	}
	wg.Wait()
	var firstErr error
	var importer types.ImporterFrom = s
	if needed != nil {
		importer = &sliceImporter{s: s, needed: needed, fakes: map[string]*types.Package{}}
	}
	conf := types.Config{
		Importer:         importer,
		IgnoreFuncBodies: !full,
		FakeImportC:      true,
		GoVersion:        s.goVer,
		// A dependency that does not check cleanly (cgo, a language
		// feature newer than this build's type checker) still declares
		// what its importers need; errors are kept, not fatal.
		Error: func(err error) {
			if firstErr == nil {
				firstErr = err
			}
		},
	}
	if full {
		e.info = &types.Info{
			Types:     map[ast.Expr]types.TypeAndValue{},
			Defs:      map[*ast.Ident]types.Object{},
			Uses:      map[*ast.Ident]types.Object{},
			Instances: map[*ast.Ident]types.Instance{},
			Scopes:    map[ast.Node]*types.Scope{},
		}
	}
	pkg, _ := conf.Check(path, s.Fset, files, e.info)
	e.pkg, e.files = pkg, files
	if firstErr != nil && needed == nil {
		e.soft = fmt.Errorf("type-checking %s: %w", path, firstErr)
	}
}

// A sliceImporter reads the imports a loader's lookups can involve, and
// gives an empty package for every other.
type sliceImporter struct {
	s      *Source
	needed map[string]bool
	fakes  map[string]*types.Package
}

func (si *sliceImporter) Import(path string) (*types.Package, error) {
	return si.ImportFrom(path, "", 0)
}

func (si *sliceImporter) ImportFrom(path, srcDir string, mode types.ImportMode) (*types.Package, error) {
	if si.needed[path] || path == "unsafe" {
		return si.s.ImportFrom(path, srcDir, mode)
	}
	if p, ok := si.fakes[path]; ok {
		return p, nil
	}
	p := types.NewPackage(path, manifest.DefaultPackageName(path))
	p.MarkComplete()
	si.fakes[path] = p
	return p, nil
}
