package commands

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A script that logs in with --session s.json and ends with
// "amfcall logout --session session.json" (misspelt): logout exited 0
// with a warning, having logged out a new Flex client, and the login of
// s.json stayed alive. It is now a usage error (exit 2) that names the
// file nearest to the one given, sends nothing, and writes nothing; the
// right name then logs out.
func TestLogoutMisspeltSessionFails(t *testing.T) {
	t.Parallel()
	var opsSeen flexOpCounter
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir(), User: "alice", Password: "wonderland"})
	if err != nil {
		t.Fatal(err)
	}
	opsSeen.h = g
	srv := httptest.NewServer(&opsSeen)
	t.Cleanup(func() { srv.Close(); g.Close() })
	u := srv.URL + "/"
	dir := t.TempDir()
	good := filepath.Join(dir, "session.json")
	if _, stderr, code := run(t, []string{"call", "--session", good, "-u", "alice:wonderland", "--destination", "secure", u, "whoami"}, "", nil, false); code != 0 {
		t.Fatalf("login: exit %d %s", code, stderr)
	}
	before := opsSeen.ops[9].Load()
	typo := filepath.Join(dir, "sesion.json")
	stdout, stderr, code := run(t, []string{"logout", "--session", typo, u}, "", nil, false)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "there is no such file") || !strings.Contains(stderr, "did you mean --session "+shellWord(good)+"? (nothing was sent)") {
		t.Errorf("misspelt: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if opsSeen.ops[9].Load() != before || opsSeen.ops[5].Load() != 0 {
		t.Errorf("a logout (or ping) went out for the misspelt session")
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Errorf("logout left %s behind (%v)", typo, err)
	}
	// The login is still alive; the right name ends it.
	if stdout, _, code := run(t, []string{"call", "--session", good, "--destination", "secure", u, "whoami"}, "", nil, false); code != 0 || stdout != "\"alice\"\n" {
		t.Errorf("whoami: exit %d %s", code, stdout)
	}
	if _, stderr, code := run(t, []string{"logout", "--session", good, u}, "", nil, false); code != 0 || stderr != "" {
		t.Errorf("logout: exit %d %s", code, stderr)
	}
	if _, _, code := run(t, []string{"call", "--session", good, "--destination", "secure", u, "whoami"}, "", nil, false); code != 1 {
		t.Errorf("whoami after logout: exit %d, want the fault (1)", code)
	}
}
