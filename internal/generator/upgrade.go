package generator

import (
	"github.com/scaffold-dev/scaffold/internal/filetree"
	"github.com/scaffold-dev/scaffold/internal/lock"
	"github.com/scaffold-dev/scaffold/internal/manifest"
)

// What an upgrade needs of a generation: the upgrade renders the new
// release with [Render], resolves its modules with [Resolve], and then
// needs the two below to find the author's hooks and to write the lock
// exactly as scaffold new would.

// TypeName is the name of the type implementing the contract k in a plugin
// called name: "hello-world" becomes "helloWorld", avoiding names the
// generated file or its imports already use.
func TypeName(name string, k *manifest.Contract) string { return typeName(name, k) }

// Lock is the lock file of a generation with these options whose generated
// files are tree, go.sum and the lock itself left out.
func (o *Options) Lock(tree filetree.Tree) *lock.Lock { return o.lock(tree) }
