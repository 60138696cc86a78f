package manifest

import "testing"

func TestBuilderFamily(t *testing.T) {
	for _, tc := range []struct {
		libc, builder, family string
		want                  string // "" for an error
	}{
		{Musl, "golang:1.26.8-alpine3.22", "", Alpine},
		{Musl, "golang:1.26.8-bookworm", "", Debian},
		{Glibc, "golang:1.26.8-bookworm", "", Debian},
		{Glibc, "registry.example.com/go-builder:1.26.8", "", Debian},
		{Musl, "registry.example.com/go-builder:1.26.8", "", ""},
		{Musl, "registry.example.com/go-builder:1.26.8", Debian, Debian},
		{Musl, "registry.example.com/go-builder:1.26.8", Alpine, Alpine},
		{Glibc, "golang:1.26.8-alpine3.22", "", ""},
		{Glibc, "registry.example.com/go-builder:1.26.8", Alpine, ""},
		{Musl, "golang:1.26.8-bookworm", "fedora", ""},
		{Musl, "golang@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "", ""},
	} {
		img := &Images{Builder: tc.builder, Family: tc.family}
		got, err := img.BuilderFamily(tc.libc)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s %s family %q: got %q, want an error", tc.libc, tc.builder, tc.family, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s %s family %q: got %q, %v, want %q", tc.libc, tc.builder, tc.family, got, err, tc.want)
		}
	}
}
