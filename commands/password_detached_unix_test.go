//go:build unix

package commands

import "syscall"

// detachedProcess starts a child in a new session: it has no
// controlling terminal, so /dev/tty does not open.
func detachedProcess() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true}
}
