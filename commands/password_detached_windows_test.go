package commands

import "syscall"

// detachedProcess starts a child without a console (DETACHED_PROCESS),
// as a service or a scheduled task runs: CONIN$ does not open.
func detachedProcess() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: 0x00000008}
}
