package upgrade

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkUpgradeOffline measures scaffold upgrade of the example plugin
// from gateway v0.9.0 to v1.0.0 without the go commands: read the lock
// and the repository, render twice, merge, stub the new hook, write.
func BenchmarkUpgradeOffline(b *testing.B) {
	parent := b.TempDir()
	src := filepath.Join(parent, "src")
	generate(b, release(b, "v0.9.0"), src, true)
	tree := readTree(b, src)
	to := release(b, "v1.0.0")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := filepath.Join(parent, strconv.Itoa(i))
		if err := tree.WriteTo(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := Run(context.Background(), Options{Dir: dir, Manifest: to, Offline: true}); err != nil {
			b.Fatal(err)
		}
	}
}
