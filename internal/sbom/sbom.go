// Package sbom writes a software bill of materials of a built Go plugin in
// CycloneDX JSON, from the build info the Go linker put into the file. That
// record is the truth of what the plugin links: every module with the
// version and sum it was built from, replacements applied, and the
// settings it was built with; go.mod says only what was asked for.
//
// The output is deterministic: the same file gives the same bytes (no
// serial number, no time stamp), so a release's SBOMs can be checksummed
// and reproduced.
package sbom

import (
	"bytes"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/scaffold-dev/scaffold/internal/input"
)

// SpecVersion is the CycloneDX version written.
const SpecVersion = "1.5"

// A BOM is a CycloneDX document, with the fields this package writes.
type BOM struct {
	BOMFormat    string       `json:"bomFormat"`
	SpecVersion  string       `json:"specVersion"`
	Version      int          `json:"version"`
	Metadata     Metadata     `json:"metadata"`
	Components   []Component  `json:"components"`
	Dependencies []Dependency `json:"dependencies"`
}

// Metadata describes the plugin itself and the tool that wrote the BOM.
type Metadata struct {
	Tools      Tools      `json:"tools"`
	Component  Component  `json:"component"`
	Properties []Property `json:"properties,omitempty"`
}

// Tools lists the tools that wrote the BOM.
type Tools struct {
	Components []Component `json:"components"`
}

// A Component is a module, or the plugin.
type Component struct {
	Type       string     `json:"type"`
	BOMRef     string     `json:"bom-ref,omitempty"`
	Name       string     `json:"name"`
	Version    string     `json:"version,omitempty"`
	PURL       string     `json:"purl,omitempty"`
	Hashes     []Hash     `json:"hashes,omitempty"`
	Properties []Property `json:"properties,omitempty"`
}

// A Hash is a module's go.sum hash, in hex.
type Hash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

// A Property is a name and a value.
type Property struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// A Dependency says what a component depends on.
type Dependency struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn"`
}

// Options name what build info cannot tell.
type Options struct {
	// Version is the plugin's version when the build info has none (a
	// build from a checkout records "(devel)").
	Version string
	// Tool and ToolVersion name the program writing the BOM.
	Tool, ToolVersion string
}

// ReadFile reads the build info of the Go binary or plugin at file and
// returns its BOM.
func ReadFile(file string, o Options) (*BOM, error) {
	f, err := input.Open(file, input.BinaryLimit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bi, err := buildinfo.Read(f)
	if err != nil {
		// debug/buildinfo says only "unrecognized file format".
		if head, ok := notBinary(f); ok && head == "" {
			return nil, fmt.Errorf("reading build info of %s: not an executable or shared library (the file is empty)", file)
		} else if ok {
			return nil, fmt.Errorf("reading build info of %s: not an executable or shared library (it starts with %q)", file, head)
		}
		return nil, fmt.Errorf("reading build info of %s: %w", file, err)
	}
	return FromBuildInfo(bi, o), nil
}

// notBinary tells whether r starts with none of the headers of the binary
// formats debug/buildinfo reads but Plan 9's, and returns its first bytes.
func notBinary(r io.ReaderAt) (string, bool) {
	b := make([]byte, 4)
	n, _ := r.ReadAt(b, 0)
	b = b[:n]
	for _, magic := range [][]byte{
		[]byte("\x7fELF"),
		{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf}, // Mach-O, big-endian
		{0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe}, // Mach-O, little-endian
		[]byte("MZ"),
		{0x01, 0xdf}, {0x01, 0xf7}, // XCOFF
	} {
		if bytes.HasPrefix(b, magic) {
			return "", false
		}
	}
	return string(b), true
}

// FromBuildInfo returns the BOM of the build bi records, its modules in the
// order the linker wrote them (sorted by path).
func FromBuildInfo(bi *buildinfo.BuildInfo, o Options) *BOM {
	version := bi.Main.Version
	if version == "" || version == "(devel)" {
		version = o.Version
	}
	main := module(bi.Main.Path, version)
	props := []Property{{Name: "go:version", Value: bi.GoVersion}}
	for _, s := range bi.Settings {
		props = append(props, Property{Name: "go:build:" + s.Key, Value: s.Value})
	}
	main.Properties = props
	b := &BOM{
		BOMFormat:   "CycloneDX",
		SpecVersion: SpecVersion,
		Version:     1,
		Metadata: Metadata{
			Tools:      Tools{Components: []Component{{Type: "application", Name: o.Tool, Version: o.ToolVersion}}},
			Component:  main,
			Properties: []Property{{Name: "go:version", Value: bi.GoVersion}},
		},
		Components:   []Component{},
		Dependencies: []Dependency{},
	}
	deps := []string{}
	// The standard library is linked into every plugin, and is where most
	// Go vulnerabilities are: a scanner matches them against this
	// component, named as cyclonedx-gomod names it.
	if std := stdlib(bi.GoVersion); std.PURL != "" {
		b.Components = append(b.Components, std)
		deps = append(deps, std.BOMRef)
	}
	for _, d := range bi.Deps {
		path, v, sum := d.Path, d.Version, d.Sum
		var cprops []Property
		if r := d.Replace; r != nil {
			cprops = append(cprops, Property{Name: "go:module:replaces", Value: d.Path + "@" + d.Version})
			path, v, sum = r.Path, r.Version, r.Sum
		}
		c := module(path, v)
		c.Properties = cprops
		if h, ok := sumHash(sum); ok {
			c.Hashes = []Hash{{Alg: "SHA-256", Content: h}}
		}
		b.Components = append(b.Components, c)
		deps = append(deps, c.BOMRef)
	}
	b.Dependencies = append(b.Dependencies, Dependency{Ref: main.BOMRef, DependsOn: deps})
	return b
}

// Marshal returns the BOM as indented JSON ending in a newline.
func (b *BOM) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stdlib is the standard library's component of a build with the Go
// release goVersion (go1.26.8, or with " X:experiment" after it), or a
// component without a package URL when goVersion is no release.
func stdlib(goVersion string) Component {
	v, _, _ := strings.Cut(goVersion, " ")
	if !strings.HasPrefix(v, "go1") {
		return Component{}
	}
	return module("std", v)
}

// module is the component of the module at path and version, referred to
// by its package URL, or by its path when it has no version (the main
// module of a checkout, or a replacement by a directory).
func module(path, version string) Component {
	c := Component{Type: "library", Name: path, Version: version, PURL: purl(path, version)}
	c.BOMRef = c.PURL
	if c.BOMRef == "" {
		c.BOMRef = path
	}
	return c
}

// purl is a module's package URL, pkg:golang/path@version, or "" without
// a version.
func purl(path, version string) string {
	if version == "" || path == "" {
		return ""
	}
	var parts []string
	for _, p := range strings.Split(path, "/") {
		parts = append(parts, url.PathEscape(p))
	}
	return "pkg:golang/" + strings.Join(parts, "/") + "@" + url.PathEscape(version)
}

// sumHash turns a go.sum hash ("h1:" and base64 of SHA-256) into hex.
func sumHash(sum string) (string, bool) {
	b64, ok := strings.CutPrefix(sum, "h1:")
	if !ok {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != 32 {
		return "", false
	}
	return hex.EncodeToString(raw), true
}
