//go:build unix

package commands

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/gateway"
)

// "amfcall subscribe URL DEST | head -1": when the reader went away,
// the next message's write killed subscribe by SIGPIPE before it
// unsubscribed, and the gateway kept the subscription (and queued its
// messages) until it expired. It now unsubscribes, then dies by SIGPIPE
// as before (the shell's status 141), printing nothing.
func TestSubscribeReaderGoneUnsubscribes(t *testing.T) {
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "subscribe", "--interval", "20ms", u, "piped")
	cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "AMFCALL_URL=")
	var stderr syncBuffer
	cmd.Stdout, cmd.Stderr = pw, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	waitLog(t, log, "CommandMessage subscribe piped", 1)
	checkCase(t, cliCase{args: []string{"publish", u, "piped", "1"}})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil || !strings.HasSuffix(line, `"body":1}`+"\n") {
		t.Fatalf("first line %q, %v", line, err)
	}
	pr.Close() // head -1 has its line and exits
	checkCase(t, cliCase{args: []string{"publish", u, "piped", "2"}})
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("subscribe did not stop when its reader went away")
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGPIPE || stderr.b.Len() != 0 {
		t.Errorf("subscribe with its reader gone: %v (want death by SIGPIPE), stderr %q", cmd.ProcessState, stderr.b.String())
	}
	if n := log.count("CommandMessage unsubscribe piped"); n != 1 {
		t.Errorf("%d unsubscribes, want 1:\n%s", n, log.b.String())
	}
}
