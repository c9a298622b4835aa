//go:build linux

package commands

import (
	"fmt"
	"os"
	"testing"
)

// call --save-response /dev/stdout >> DIR/log, with DIR a folder that
// takes no new file: the reply is written through stdout, and no file is
// made in DIR, but the check before sending refused it ("cannot create a
// file in DIR"), exit 2. Here stdout is /proc/self/comm, a regular file
// in a folder where no file can be made, even by root; nothing is
// written to it.
func TestSaveToStdoutFolderNotChecked(t *testing.T) {
	f, err := os.OpenFile("/proc/self/comm", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		t.Skip("/proc/self/comm is no regular file here")
	}
	e := &runEnv{stdout: f}
	path := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	for _, flag := range []string{"--save-response", "--save-request"} {
		if err := e.checkSavePath(flag, path); err != nil {
			t.Errorf("%s %s: %v", flag, path, err)
		}
	}
	// Not stdout: the folder is checked, as before.
	if err := (&runEnv{stdout: os.Stderr}).checkSavePath("--save-response", path); err == nil {
		t.Errorf("%s, not stdout: no error", path)
	}
}

// A symbolic link is written through, so the folder checked is its
// target's. TestSaveThroughLinkFolderChecked_script16 cannot fail as
// root (a 0555 folder takes root's files); /proc/self/fd/N, a link to a
// file in a temporary folder, sits in a folder that takes no file from
// anyone.
func TestSaveThroughProcLinkFolderChecked(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/reply.amf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	link := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	if _, err := os.Stat(link); err != nil {
		t.Skip(err)
	}
	if err := checkOutputPath("--save-response", link); err != nil {
		t.Fatalf("refused: %v", err)
	}
}
