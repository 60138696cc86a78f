// Package templates holds the files scaffold renders into a plugin
// repository: every file of a new one, and the stubs an upgrade adds when
// the host's contract gains methods. They are plain files so that they read
// as what they produce; [FS] embeds them into the binary.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed all:plugin
var files embed.FS

// Version identifies this template set. It is recorded in every generated
// repository's lock file, and changes whenever a template's output does.
const Version = "27"

// FS returns the plugin templates, rooted at their own directory.
func FS() fs.FS {
	sub, err := fs.Sub(files, "plugin")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}
