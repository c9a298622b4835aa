package commands

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/gateway"
)

// Two commands sharing one --session file and ending at once: each read
// the file, merged in its changes and renamed its own over it, so the
// one renaming second could undo the other's (rvuser6 left this window
// open). The read, merge and write now happen under the file's lock.
// Here the test is the other command: it holds the lock while a call
// that logs in ends, writes its own change (a Flex DSId) and releases
// it. The call waits for the lock, so the file then holds both the
// call's login cookie and the other's DSId; on main the call wrote at
// once, and the other's later write (made from what it had read before)
// lost the login.
func TestSessionSaveWaitsForLock(t *testing.T) {
	_, u := startGateway(t, gateway.Options{})
	session := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(session, []byte(`{"version": 1, "gateway": "`+u+`", "headers": [], "cookies": []}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The lock as the other command holds it: the file PATH.lock.
	lock, err := os.OpenFile(session+".lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	lock.Close()
	unlock := func() { os.Remove(session + ".lock") }
	read, _ := os.ReadFile(session) // the other command's start
	done := make(chan string, 1)
	go func() {
		_, stderr, code := run(t, []string{"call", "--session", session, u, "login", `"bob"`, `"x"`}, "", nil, false)
		done <- strings.TrimSpace(stderr) + " exit " + string(rune('0'+code))
	}()
	select {
	case r := <-done:
		t.Fatalf("the call wrote the session while another command held its lock (%s)", r)
	case <-time.After(time.Second):
	}
	// The other command ends: its change, merged into what it read
	// (nothing else changed on disk, as the call waited), then the
	// lock released.
	var f map[string]any
	if err := json.Unmarshal(read, &f); err != nil {
		t.Fatal(err)
	}
	f["dsid"] = "8F8B6F5C-1C2B-4E33-9A0B-3F0C7D2E9A11"
	out, _ := json.Marshal(f)
	if err := os.WriteFile(session, out, 0o600); err != nil {
		t.Fatal(err)
	}
	unlock()
	if r := <-done; r != "exit 0" && !strings.Contains(r, "changed by another command") {
		t.Fatalf("call: %s", r)
	}
	final, _ := os.ReadFile(session)
	if !strings.Contains(string(final), "8F8B6F5C-1C2B-4E33-9A0B-3F0C7D2E9A11") || !strings.Contains(string(final), "AMFSESSIONID") {
		t.Errorf("the session lost one command's changes:\n%s", final)
	}
	if _, err := os.Stat(session + ".lock"); !os.IsNotExist(err) {
		t.Errorf("lock file left behind (%v)", err)
	}
	if stdout, _, code := run(t, []string{"call", "--session", session, u, "session.whoami"}, "", nil, false); code != 0 || stdout != "\"bob\"\n" {
		t.Errorf("whoami with the merged session: exit %d %s", code, stdout)
	}
}
