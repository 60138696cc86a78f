// Package manifest reads, checks and writes a host release manifest: the
// record a host publishes with each release of everything a plugin build must
// reproduce for plugin.Open to accept the plugin.
//
// A manifest is data that travels between organisations, so every value in it
// is checked before it can reach a go.mod, a Makefile, a Dockerfile or a
// shell: see [Manifest.Validate].
package manifest

// SchemaVersion is the schema version this build writes.
const SchemaVersion = 1

// SupportedSchemaVersions lists the schema versions this build reads.
var SupportedSchemaVersions = []int{1}

// A Manifest describes one release of a host application that loads Go
// plugins.
type Manifest struct {
	SchemaVersion int          `json:"schemaVersion" yaml:"schemaVersion"`
	Host          Host         `json:"host" yaml:"host"`
	Go            string       `json:"go" yaml:"go"`
	Build         Build        `json:"build" yaml:"build"`
	SDK           SDK          `json:"sdk" yaml:"sdk"`
	Modules       []Module     `json:"modules" yaml:"modules"`
	Proxy         Proxy        `json:"proxy,omitempty" yaml:"proxy,omitempty"`
	Libc          Libc         `json:"libc" yaml:"libc"`
	Contract      Contract     `json:"contract" yaml:"contract"`
	Registration  Registration `json:"registration" yaml:"registration"`
}

// A Host names the host application and its release.
type Host struct {
	Name    string `json:"name" yaml:"name"`
	Version string `json:"version" yaml:"version"`
	// Module is the host's main module path, as its build info records it.
	Module string `json:"module,omitempty" yaml:"module,omitempty"`
	// Source locates the host's own source, for a host whose plugins
	// import its main module: they build in a Go workspace with that
	// source at exactly this revision.
	Source *Source `json:"source,omitempty" yaml:"source,omitempty"`
	// Latest is the HTTPS URL where the host publishes the manifest of
	// its newest release. A plugin's generated CI checks against it on a
	// schedule and says when the plugin is behind.
	Latest string `json:"latest,omitempty" yaml:"latest,omitempty"`
}

// Source is where a host's source is kept.
type Source struct {
	// Repository is a git URL (or path) of the host's repository, which
	// plugins' builds clone at Revision; empty when Version says where
	// the source is.
	Repository string `json:"repository,omitempty" yaml:"repository,omitempty"`
	// Revision is the full commit hash of the release.
	Revision string `json:"revision" yaml:"revision"`
	// Version is the version of the host's module at which the module
	// proxy serves the release's source (its tag, or the pseudo-version
	// of Revision), for a host that names no repository: plugins' builds
	// take the source from the module cache.
	Version string `json:"version,omitempty" yaml:"version,omitempty"`
}

// SDKIsHost tells whether the SDK is the host's own main module, which
// plugins can reach only through a workspace with the host's source.
func (m *Manifest) SDKIsHost() bool {
	return m.Host.Source != nil && m.SDK.Module != "" && m.SDK.Module == m.Host.Module
}

// Build holds every build setting that must be the same for host and plugin.
// The Go toolchain refuses a plugin whose standard library was compiled
// differently, so each field here ends up on the plugin's go build line or in
// its environment.
type Build struct {
	CGO          bool     `json:"cgo" yaml:"cgo"`
	Trimpath     bool     `json:"trimpath" yaml:"trimpath"`
	Race         bool     `json:"race" yaml:"race"`
	Tags         []string `json:"tags,omitempty" yaml:"tags,omitempty"`
	Gcflags      string   `json:"gcflags,omitempty" yaml:"gcflags,omitempty"`
	Asmflags     string   `json:"asmflags,omitempty" yaml:"asmflags,omitempty"`
	Goexperiment string   `json:"goexperiment,omitempty" yaml:"goexperiment,omitempty"`
	GOOS         string   `json:"goos" yaml:"goos"`
	GOARCH       []string `json:"goarch" yaml:"goarch"`
	GOAMD64      string   `json:"goamd64,omitempty" yaml:"goamd64,omitempty"`
	// GOMODCACHE is the module cache a host built without -trimpath
	// compiled its modules from. Its path is part of every such package's
	// hash, so a plugin must build from a module cache at the same path.
	// Empty with -trimpath, or when the host compiled no package from the
	// module cache.
	GOMODCACHE string `json:"gomodcache,omitempty" yaml:"gomodcache,omitempty"`
}

// An SDK is the module plugins compile against, at the exact version the
// host was built with.
type SDK struct {
	Module  string `json:"module" yaml:"module"`
	Version string `json:"version,omitempty" yaml:"version,omitempty"`
}

// A Module is one entry of the host's build list.
type Module struct {
	Path    string  `json:"path" yaml:"path"`
	Version string  `json:"version,omitempty" yaml:"version,omitempty"`
	Sum     string  `json:"sum,omitempty" yaml:"sum,omitempty"`
	Replace *Module `json:"replace,omitempty" yaml:"replace,omitempty"`
}

// Proxy holds the module download settings a plugin build needs, such as
// GONOSUMDB for an SDK the public checksum database does not know.
type Proxy struct {
	GOPROXY   string   `json:"goproxy,omitempty" yaml:"goproxy,omitempty"`
	GONOSUMDB []string `json:"gonosumdb,omitempty" yaml:"gonosumdb,omitempty"`
	GOPRIVATE []string `json:"goprivate,omitempty" yaml:"goprivate,omitempty"`
	GONOPROXY []string `json:"gonoproxy,omitempty" yaml:"gonoproxy,omitempty"`
}

// Libc holds the container images for each C library family the host ships
// for. A plugin must be linked against the same family as the host.
type Libc struct {
	Glibc *Images `json:"glibc,omitempty" yaml:"glibc,omitempty"`
	Musl  *Images `json:"musl,omitempty" yaml:"musl,omitempty"`
}

// Families lists the libc families l describes, in a fixed order.
func (l Libc) Families() []string {
	var fs []string
	if l.Glibc != nil {
		fs = append(fs, Glibc)
	}
	if l.Musl != nil {
		fs = append(fs, Musl)
	}
	return fs
}

// Images returns the images for family, or nil.
func (l Libc) Images(family string) *Images {
	switch family {
	case Glibc:
		return l.Glibc
	case Musl:
		return l.Musl
	}
	return nil
}

// The libc families.
const (
	Glibc = "glibc"
	Musl  = "musl"
)

// Images are the pinned container images of one libc family.
type Images struct {
	// Builder is the image plugins are compiled in.
	Builder string `json:"builder" yaml:"builder"`
	// Runtime is the image the host runs in.
	Runtime string `json:"runtime" yaml:"runtime"`
	// Packages are installed into the builder before the build.
	Packages []string `json:"packages,omitempty" yaml:"packages,omitempty"`
	// Family is the builder image's distribution family, which decides
	// how packages are installed: "debian" (apt-get) or "alpine" (apk).
	// It may be left out when the image's name tells; see
	// [Images.BuilderFamily].
	Family string `json:"family,omitempty" yaml:"family,omitempty"`
	// BuilderDigest and RuntimeDigest pin the images to their content
	// (sha256:HEX), when known: a tag can be moved to other content, a
	// digest cannot. scaffold manifest --from-image records the release
	// image's as RuntimeDigest.
	BuilderDigest string `json:"builderDigest,omitempty" yaml:"builderDigest,omitempty"`
	RuntimeDigest string `json:"runtimeDigest,omitempty" yaml:"runtimeDigest,omitempty"`
}

// Registration tells a plugin author how the host finds a built plugin.
type Registration struct {
	// Directory is where the host looks for plugin files.
	Directory string `json:"directory,omitempty" yaml:"directory,omitempty"`
	// ConfigFile is the host configuration file that names plugins.
	ConfigFile string `json:"configFile,omitempty" yaml:"configFile,omitempty"`
	// Artifact is the file name the host expects of a built plugin, when
	// it resolves versioned names itself, such as
	// "{name}_{hostVersion}_{goos}_{goarch}.so"; see [ArtifactFields].
	Artifact string `json:"artifact,omitempty" yaml:"artifact,omitempty"`
	// Snippet is the configuration that registers a plugin; {{name}},
	// {{file}} and {{handlers}} stand for the plugin's name, its artifact's
	// file name and its handlers' names, quoted and separated by commas;
	// {{range handlers}}...{{end}} repeats its text per handler, with
	// {{handler}} for the handler's name (see [Registration.SnippetFor]).
	Snippet string `json:"snippet,omitempty" yaml:"snippet,omitempty"`
	// Run is how to start the host with the plugin registered, as the
	// arguments of a command whose first is "{host}", the host binary;
	// "{config}" stands for the configuration file written from Snippet,
	// in a directory that holds the plugin under Directory. make run and
	// make dev start the host this way.
	Run []string `json:"run,omitempty" yaml:"run,omitempty"`
}

// Module returns the host build-list entry for path, or nil.
func (m *Manifest) Module(path string) *Module {
	for i := range m.Modules {
		if m.Modules[i].Path == path {
			return &m.Modules[i]
		}
	}
	return nil
}
