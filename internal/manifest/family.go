package manifest

import (
	"fmt"
	"strings"
)

// The builder image families. A Dockerfile installs packages with the
// family's package manager; a musl build on a Debian-family builder also
// needs musl-tools (musl-gcc), which an Alpine builder has no use for.
const (
	Debian = "debian"
	Alpine = "alpine"
)

// Words in an image's name that say its family, as the official images
// name their variants (golang:1.26-alpine3.22, golang:1.26-bookworm).
var familyWords = map[string][]string{
	Alpine: {"alpine"},
	Debian: {"debian", "bookworm", "bullseye", "buster", "trixie", "ubuntu", "jammy", "noble", "focal"},
}

// BuilderFamily returns the family of the builder image of the libc family
// libc: the one Family names, else the one the image's name tells. A glibc
// builder with a silent name is taken to be Debian-family, as glibc images
// of Go are; a musl builder's name must tell, or Family must.
func (i *Images) BuilderFamily(libc string) (string, error) {
	switch i.Family {
	case Debian, Alpine:
		if i.Family == Alpine && libc == Glibc {
			return "", fmt.Errorf("%s: Alpine images are musl-based and cannot build glibc plugins", quote(i.Family))
		}
		return i.Family, nil
	case "":
	default:
		return "", fmt.Errorf("%s is not a builder family: use %s or %s", quote(i.Family), Debian, Alpine)
	}
	name := strings.ToLower(i.Builder)
	if at := strings.IndexByte(name, '@'); at >= 0 {
		name = name[:at] // a digest tells nothing
	}
	var found []string
	for _, f := range []string{Alpine, Debian} {
		for _, w := range familyWords[f] {
			if strings.Contains(name, w) {
				found = append(found, f)
				break
			}
		}
	}
	switch {
	case len(found) == 1:
		if found[0] == Alpine && libc == Glibc {
			return "", fmt.Errorf("the glibc builder %s is an Alpine (musl) image", quote(i.Builder))
		}
		return found[0], nil
	case len(found) == 0 && libc == Glibc:
		return Debian, nil
	}
	return "", fmt.Errorf("cannot tell from the builder image %s whether it is %s or %s: set family", quote(i.Builder), Debian, Alpine)
}
