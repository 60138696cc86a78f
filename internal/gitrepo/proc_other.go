//go:build !linux

package gitrepo

import "syscall"

// dieWithParent: only Linux can have git killed with scaffold.
func dieWithParent() *syscall.SysProcAttr { return nil }
