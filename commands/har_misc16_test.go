package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A HAR with a HEAD and a 304 beside an AMF exchange: they are skipped
// with one note, not listed as failed exchanges (exit 4); a HAR with only
// those says there is no exchange, and why.
func TestConvertHARSkipsNoPacket(t *testing.T) {
	const amf0 = "AAAAAAABAAxnZXRTbmFwc2hvdHMAAi8xAAAABQoAAAAA"
	post := `{"request": {"method": "POST", "url": "http://h/gw", "bodySize": 33, "postData": {"mimeType": "application/x-amf", "text": "` + amf0 + `", "encoding": "base64"}}, "response": {"status": 200, "content": {"size": 33, "mimeType": "application/x-amf", "text": "` + amf0 + `", "encoding": "base64"}}}`
	head := `{"request": {"method": "HEAD", "url": "http://h/gw", "bodySize": 0}, "response": {"status": 200, "content": {"size": 0, "mimeType": "application/x-amf"}}}`
	notModified := `{"request": {"method": "GET", "url": "http://h/gw", "bodySize": 0}, "response": {"status": 304, "content": {"size": 0, "mimeType": "application/x-amf"}}}`
	dir := t.TempDir()
	write := func(name string, entries ...string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(`{"log": {"entries": [`+strings.Join(entries, ",")+`]}}`), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mixed := write("mixed.har", head, post, notModified)
	stdout, stderr, code := run(t, []string{"convert", mixed}, "", nil, false)
	if code != 0 || strings.Count(stdout, "\n") != 1 || !strings.HasPrefix(stdout, `{"n":1,"entry":2,"method":"POST"`) ||
		stderr != "amfcall: note: "+mixed+": skipped, as 2 entries of type application/x-amf carry no packet (a HEAD, GET or OPTIONS request, or a 1xx, 204 or 304 reply)\n" {
		t.Errorf("mixed: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	only := write("only.har", head)
	stdout, stderr, code = run(t, []string{"convert", only}, "", nil, false)
	if code != exitInput || stdout != "" ||
		!strings.Contains(stderr, "error: "+only+": no AMF exchange in this HAR file: 1 entry of type application/x-amf carries no packet (a HEAD, GET or OPTIONS request, or a 1xx, 204 or 304 reply)\n") {
		t.Errorf("only HEAD: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// call --from-har numbers the exchanges as convert lists them.
	stdout, stderr, code = run(t, []string{"call", "--offline", "--from-har", mixed}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, "getSnapshots") {
		t.Errorf("call --from-har: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
