//go:build !unix && !windows

package commands

import "syscall"

// detachedProcess: none here.
func detachedProcess() *syscall.SysProcAttr { return nil }
