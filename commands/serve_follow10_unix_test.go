//go:build unix

package commands

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestServeSecondInterruptRemovesPart: a second Ctrl-C while serve waits
// for an upload under way stops it at once (130, by the signal), and
// now removes the upload's hidden .upload-*.part file first: it stayed
// in the images folder, as large as what had come. The folder's other
// files, a look-alike name among them, are left alone.
func TestServeSecondInterruptRemovesPart(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	others := []string{".upload-notes.part", "keep.jpg"}
	for _, name := range others {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(exe, "serve", "--addr", "127.0.0.1:0", "--images", dir)
	cmd.Env = []string{"AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		for start := time.Now(); !cond(); time.Sleep(10 * time.Millisecond) {
			if time.Since(start) > 20*time.Second {
				t.Fatalf("no %s; stderr %q", what, stderr.String())
			}
		}
	}
	at := regexp.MustCompile(`gateway at http://([0-9.:]+)/`)
	waitUntil("address", func() bool { return at.MatchString(stderr.String()) })
	addr := at.FindStringSubmatch(stderr.String())[1]

	b, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "ByteArray.saveSnapshot", Response: "/1",
		Value: []any{amf.AVMPlus{Value: &amf.ByteArray{Data: make([]byte, 4<<20)}}, "png"}}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\n\r\n", len(b))
	c.Write(b[:1<<20]) // the rest never comes
	part := func() bool {
		ents, _ := os.ReadDir(dir)
		return slices.ContainsFunc(ents, func(e os.DirEntry) bool {
			return strings.HasPrefix(e.Name(), ".upload-") && e.Name() != ".upload-notes.part"
		})
	}
	waitUntil("partial file", part)

	cmd.Process.Signal(syscall.SIGINT)
	waitUntil("wait for the upload", func() bool { return strings.Contains(stderr.String(), "stopping: waiting up to 5s") })
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("serve did not die by SIGINT: %v; stderr %q", err, stderr.String())
	}
	ents, _ := os.ReadDir(dir)
	var left []string
	for _, e := range ents {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, others) {
		t.Errorf("left in the images folder: %v, want %v", left, others)
	}
}
