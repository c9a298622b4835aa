package commands

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// call --destination sends a ping for the DSId before the call: with
// --save-request FILE only the call's request was saved, and nothing
// said so. The ping is saved too, as FILE's name numbered, and stderr
// says which file holds which request.
func TestSaveRequestFlexRequests(t *testing.T) {
	_, u := startGateway(t, gateway.Options{})
	dir := t.TempDir()
	req := filepath.Join(dir, "req.amf")
	stdout, stderr, code := run(t, []string{"call", "--destination", "echo", "--save-request", req, u, "echo", `"hi"`}, "", nil, false)
	first := filepath.Join(dir, "req.1.amf")
	want := "amfcall: --save-request: this run sent 2 requests, in this order: " + first + " (ping), then " + req + " (call echo)\n"
	if code != 0 || stdout != "\"hi\"\n" || stderr != want {
		t.Fatalf("code %d\nstdout: %s\nstderr: %q\nwant    %q", code, stdout, stderr, want)
	}
	for file, what := range map[string]string{first: "ping", req: "call echo"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if got := flexRequestWhat(b); got != what {
			t.Errorf("%s holds %q, want %q", file, got, what)
		}
	}
	// Without the Flex flags, one request, one file, nothing said.
	plain := filepath.Join(dir, "plain")
	if _, stderr, code := run(t, []string{"call", "--save-request", plain, u, "echo.echo", `"hi"`}, "", nil, false); code != 0 || stderr != "" {
		t.Fatalf("plain: code %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(plain + ".1"); !os.IsNotExist(err) {
		t.Fatalf("plain: %v", err)
	}
}

func TestNumberedName(t *testing.T) {
	for in, want := range map[string]string{"req.amf": "req.3.amf", "req": "req.3", "a.b/req": "a.b/req.3", ".amf": ".amf.3", "d/x.tar.gz": "d/x.tar.3.gz"} {
		if got := numberedName(in, 3); got != want {
			t.Errorf("numberedName(%q) = %q, want %q", in, got, want)
		}
	}
}
