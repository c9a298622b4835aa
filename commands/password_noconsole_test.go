package commands

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"testing"
)

// TestPasswordNoConsole: -u alice with no password and no
// AMFCALL_PASSWORD, run as a process with no terminal (Unix: a new
// session, so no /dev/tty) or no console (Windows: a detached process,
// as a service or a scheduled task runs), is a usage error that says
// there is nothing to ask on and names AMFCALL_PASSWORD. This is the real
// openControllingTTY: on Windows it opened /dev/tty, which is never
// there, so -u USER could only be given a password by the variable; it
// opens the console now (CONIN$), and says "console" when there is none.
func TestPasswordNoConsole(t *testing.T) {
	t.Parallel()
	attr := detachedProcess()
	if attr == nil {
		t.Skip("no way to start a process without a terminal here")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "call", "-u", "alice", "http://127.0.0.1:1/gateway", "secure.whoami")
	cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "AMFCALL_PASSWORD=", "AMFCALL_URL=")
	cmd.SysProcAttr = attr
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	want := "amfcall: error: -u alice has no password, and there is no " + passwordTTY + " to ask for it on\n" +
		"amfcall: hint: set AMFCALL_PASSWORD to the password, or give -u alice:PASSWORD\n"
	if code != exitUsage || stdout.Len() != 0 || stderr.String() != want {
		t.Errorf("exit %d (%v), stdout %q, stderr %q; want exit 2, stderr %q", code, err, stdout.String(), stderr.String(), want)
	}
}
