//go:build unix

package input

import "syscall"

const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
