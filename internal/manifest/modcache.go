package manifest

import (
	"fmt"
	"path"

	"github.com/scaffold-dev/scaffold/internal/lazyre"
)

// modCacheRE admits the characters of a module cache path that need no
// quoting in a Makefile, a Dockerfile or a shell.
var modCacheRE = lazyre.New(`^/[A-Za-z0-9._/+@~-]*$`)

// CheckModCache checks a module cache path (GOMODCACHE) recorded for a
// host built without -trimpath: absolute, clean, and of characters that
// need no quoting, since it becomes a Makefile variable, a Dockerfile
// cache mount and an environment variable. With -trimpath no path takes
// part in the build, so recording one is an error.
func CheckModCache(p string, trimpath bool) error {
	switch {
	case trimpath:
		return fmt.Errorf("%s is set, but build.trimpath is true: -trimpath keeps the module cache's path out of the build; remove it", quote(p))
	case !modCacheRE.MatchString(p):
		return fmt.Errorf("%s is not allowed: an absolute path of letters, digits and . _ / + @ ~ -", quote(p))
	case path.Clean(p) != p:
		return fmt.Errorf("%s is not a clean path: write %s", quote(p), path.Clean(p))
	case p == "/":
		return fmt.Errorf("%s is the root directory, not a module cache", quote(p))
	}
	return nil
}
