//go:build !unix

package watch

import (
	"os"
	"os/exec"
)

func ownGroup(*exec.Cmd) {}

func signalGroup(cmd *exec.Cmd, sig os.Signal) {
	if sig == os.Interrupt {
		sig = os.Kill // no interrupt for another process here
	}
	_ = cmd.Process.Signal(sig)
}

type terminal struct{}

func takeTerminal() *terminal { return nil }
func (*terminal) give(int)    {}
func (*terminal) take()       {}
func (*terminal) restore()    {}
