package compat

import (
	"bytes"
	"compress/zlib"
	"debug/elf"
	bin "encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/scaffold-dev/scaffold/internal/artifact"
)

// TestInflationBomb reads the DWARF of a program whose .debug_info was
// replaced by zlib's most compressed stream: hundreds of megabytes of
// zeros in the section's few hundred kilobytes. It is refused before it
// is decompressed, so reading it allocates a small part of what it
// states.
func TestInflationBomb(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() { println(\"hi\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(dir, "prog")
	cmd := exec.Command("go", "build", "-o", prog, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(prog)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Section(".debug_info")
	if s == nil || s.Flags&elf.SHF_COMPRESSED == 0 || f.Class != elf.ELFCLASS64 {
		t.Fatalf("go build wrote no compressed 64-bit .debug_info: %v", s)
	}
	// An Elf64_Chdr (type, reserved, size, alignment), then the stream.
	room := int(s.FileSize) - 24
	var stream bytes.Buffer
	size := 0
	zw, _ := zlib.NewWriterLevel(&stream, zlib.BestCompression)
	zeros := make([]byte, 1<<20)
	for stream.Len() < room-64<<10 {
		if _, err := zw.Write(zeros); err != nil {
			t.Fatal(err)
		}
		size += len(zeros)
		if err := zw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if stream.Len() > room {
		t.Fatalf("stream of %d bytes, room for %d", stream.Len(), room)
	}
	hdr := data[s.Offset : s.Offset+24]
	bin.LittleEndian.PutUint32(hdr[0:], uint32(elf.COMPRESS_ZLIB))
	bin.LittleEndian.PutUint64(hdr[8:], uint64(size))
	copy(data[s.Offset+24:], stream.Bytes())
	if size/int(s.FileSize) <= artifact.MaxInflation {
		t.Fatalf("%d bytes from %d: the stream does not inflate past the limit", size, s.FileSize)
	}

	f, err = elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = typeDWARF(f)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "section .debug_info would grow from") {
		t.Errorf("typeDWARF: %v, want a refusal naming the section", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(size)/8 {
		t.Errorf("reading the DWARF allocated %d bytes, for a section stating %d", got, size)
	}
}
