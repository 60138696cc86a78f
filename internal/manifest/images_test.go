package manifest

import (
	"strings"
	"testing"
)

// TestQualifyImage: every image is named with its registry, as buildah and
// podman need, and Docker Hub's official images under library/.
func TestQualifyImage(t *testing.T) {
	for ref, want := range map[string]string{
		"golang:1.26.8-bookworm":                 "docker.io/library/golang:1.26.8-bookworm",
		"debian:bookworm-slim@sha256:" + hex64:   "docker.io/library/debian:bookworm-slim@sha256:" + hex64,
		"example/gateway:v1.0.0":                 "docker.io/example/gateway:v1.0.0",
		"docker.io/library/alpine:3.22":          "docker.io/library/alpine:3.22",
		"ghcr.io/example/gateway:v1.0.0":         "ghcr.io/example/gateway:v1.0.0",
		"registry.example.com:5000/gw/img:1":     "registry.example.com:5000/gw/img:1",
		"localhost/example/junction":             "localhost/example/junction",
		"localhost:5000/junction:v1":             "localhost:5000/junction:v1",
		"quay.io/example/deep/path/image:v2.0.1": "quay.io/example/deep/path/image:v2.0.1",
	} {
		if got := QualifyImage(ref); got != want {
			t.Errorf("QualifyImage(%q) = %q, want %q", ref, got, want)
		}
	}
}

const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// TestImageDigests: a digest beside an image pins it, even without a tag,
// and is written after its name; a malformed one, or one that differs
// from the reference's own, is refused naming its field.
func TestImageDigests(t *testing.T) {
	m := exampleManifest(t)
	img := m.Libc.Glibc
	img.Builder, img.BuilderDigest = "golang:1.26.8-bookworm", "sha256:"+hex64
	img.Runtime, img.RuntimeDigest = "localhost/example/junction", "sha256:"+hex64
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := img.BuilderRef(), "docker.io/library/golang:1.26.8-bookworm@sha256:"+hex64; got != want {
		t.Errorf("BuilderRef = %q, want %q", got, want)
	}
	if got, want := img.RuntimeRef(), "localhost/example/junction@sha256:"+hex64; got != want {
		t.Errorf("RuntimeRef = %q, want %q", got, want)
	}

	for _, tt := range []struct {
		builder, digest, want string
	}{
		{"golang:1.26.8-bookworm", "sha256:ABC", `libc.glibc.builderDigest: "sha256:ABC" is not a digest`},
		{"golang:1.26.8-bookworm", "md5:" + hex64[:32], `libc.glibc.builderDigest: "md5:`},
		{"golang@sha256:" + strings.Repeat("f", 64), "sha256:" + hex64, `libc.glibc.builderDigest: "sha256:` + hex64 + `" differs from the digest of the image`},
		{"golang", "", `libc.glibc.builder: "golang" is not pinned`},
	} {
		m := exampleManifest(t)
		m.Libc.Glibc.Builder, m.Libc.Glibc.BuilderDigest = tt.builder, tt.digest
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("builder %q, digest %q: %v, want %q", tt.builder, tt.digest, err, tt.want)
		}
	}
}
