package gitrepo

import "syscall"

// dieWithParent has the kernel kill git when scaffold dies, however it
// dies.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
