package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/amfcall/amfcall/client/gateway"
)

// openPTY opens a pseudo-terminal pair: the master end the test types
// on, and the terminal end a child takes as its controlling terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// echoOn reports whether the terminal echoes what is typed.
func echoOn(t *testing.T, tty *os.File) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// TestPasswordPrompt: -u alice with no password, run as a process whose
// controlling terminal is a pty while stdin, stdout and stderr are not,
// asks on the terminal, reads the password without echoing it, turns echo
// back on, and logs in with it; stdout has the reply only. A Ctrl-C at
// the prompt ends the process by SIGINT, with echo back on.
func TestPasswordPrompt(t *testing.T) {
	_, u := startGateway(t, gateway.Options{User: "alice", Password: "wonderland"})
	t.Run("typed", func(t *testing.T) {
		stdout, stderr, screen, err := promptChild(t, u, "wonderland\r")
		if err != nil {
			t.Fatalf("%v; stderr %q", err, stderr)
		}
		if stdout != `"alice"`+"\n" || stderr != "" {
			t.Errorf("stdout %q, stderr %q; want %q and nothing", stdout, stderr, `"alice"`+"\n")
		}
		if strings.Contains(screen, "wonderland") {
			t.Errorf("the password was echoed: the terminal shows %q", screen)
		}
	})
	t.Run("Ctrl-C", func(t *testing.T) {
		stdout, stderr, _, err := promptChild(t, u, "\x03")
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT || stdout != "" {
			t.Errorf("err %v, stdout %q, stderr %q; want the end by SIGINT and no output", err, stdout, stderr)
		}
	})
}

// promptChild runs "amfcall call -u alice URL secure.whoami" with a pty as
// its controlling terminal only, types typed once the prompt is there and
// echo is off, and returns what it wrote, what the terminal showed and
// how it ended; echo must be on again after.
func promptChild(t *testing.T, u, typed string) (stdout, stderr, screen string, _ error) {
	t.Helper()
	master, tty := openPTY(t)
	if !echoOn(t, tty) {
		t.Fatal("a new pty does not echo")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a bound, not a measure
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "call", "-u", "alice", u, "secure.whoami")
	cmd.Env = []string{"AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}
	cmd.Stdin = strings.NewReader("")
	var outb, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &outb, &errb
	cmd.ExtraFiles = []*os.File{tty} // fd 3, made the controlling terminal
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 3}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// What the child writes on its terminal, read as it comes.
	var mu sync.Mutex
	var shown bytes.Buffer
	prompted := make(chan struct{})
	go func() {
		buf := make([]byte, 256)
		once := sync.Once{}
		for {
			n, err := master.Read(buf)
			mu.Lock()
			shown.Write(buf[:n])
			if strings.Contains(shown.String(), "Enter password for user 'alice': ") {
				once.Do(func() { close(prompted) })
			}
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-prompted:
	case err := <-exited:
		t.Fatalf("exited (%v) with no prompt; stderr %q", err, errb.String())
	case <-ctx.Done():
		t.Fatalf("no prompt on the terminal; stderr %q", errb.String())
	}
	// The prompt comes before echo goes off: type only once it is off.
	for echoOn(t, tty) {
		select {
		case <-ctx.Done():
			t.Fatal("echo never went off")
		case <-time.After(5 * time.Millisecond):
		}
	}
	if _, err := master.Write([]byte(typed)); err != nil {
		t.Fatal(err)
	}
	err = <-exited
	if !echoOn(t, tty) {
		t.Error("echo is still off after the prompt")
	}
	mu.Lock()
	defer mu.Unlock()
	return outb.String(), errb.String(), shown.String(), err
}
