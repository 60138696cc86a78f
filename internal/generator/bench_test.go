package generator

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkRenderWrite measures scaffold new for the example manifest
// without the go commands: render every file, stage, write the lock,
// rename into place.
func BenchmarkRenderWrite(b *testing.B) {
	o := helloWorld(b)
	o.Offline = true
	parent := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(parent, strconv.Itoa(i))
		if _, err := Generate(context.Background(), o, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoCommands measures the go commands scaffold new runs for the
// example manifest (go mod tidy, go list -m all) on a staged repository,
// with a warm module cache.
func BenchmarkGoCommands(b *testing.B) {
	o := helloWorld(b)
	tree, err := Render(&o)
	if err != nil {
		b.Fatal(err)
	}
	parent := b.TempDir()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := filepath.Join(parent, strconv.Itoa(i))
		if err := tree.WriteTo(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := Resolve(context.Background(), dir, &o); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
}
