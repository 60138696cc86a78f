package manifest

import "strings"

// BuilderRef is the builder image as a Dockerfile's FROM names it: fully
// qualified (see [QualifyImage]), with its digest when known.
func (i *Images) BuilderRef() string { return pinnedRef(i.Builder, i.BuilderDigest) }

// RuntimeRef is the runtime image fully qualified, with its digest when
// known.
func (i *Images) RuntimeRef() string { return pinnedRef(i.Runtime, i.RuntimeDigest) }

func pinnedRef(ref, digest string) string {
	q := QualifyImage(ref)
	if digest != "" && !strings.Contains(q, "@") {
		q += "@" + digest
	}
	return q
}

// QualifyImage writes an image reference as every container tool reads it
// the same way: with its registry, docker.io for a name without one, and
// library/ for one of Docker Hub's official images. buildah and podman
// refuse a short name they have no alias for, and would otherwise ask
// which registry is meant.
func QualifyImage(ref string) string {
	first, rest, ok := strings.Cut(ref, "/")
	if ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return ref // a registry host
	}
	if !ok {
		return "docker.io/library/" + ref
	}
	return "docker.io/" + first + "/" + rest
}
