// Package ckit computes checksums in C, through cgo: a dependency that
// needs a C compiler for the host's libc wherever it is built.
package ckit

/*
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>

static uint32_t fnv1a(const char *s, size_t n) {
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}
*/
import "C"

import "unsafe"

// Checksum returns the 32-bit FNV-1a hash of s.
func Checksum(s string) uint32 {
	if s == "" {
		return uint32(C.fnv1a(nil, 0))
	}
	p := C.CString(s)
	defer C.free(unsafe.Pointer(p))
	return uint32(C.fnv1a(p, C.size_t(len(s))))
}
