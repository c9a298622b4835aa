package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// A getSnapshots base_url that is a path ("/img/", as a gateway behind a
// proxy often gives) resolves against the gateway URL, and took its user
// and password: snapshots printed http://bob:s3cret@host/img/a.jpg in
// its listing (stdout, JSON and table) and in the line of an image that
// failed (stderr). They are now shown as bob:xxxxx, and still sent to
// fetch the images from the gateway's host.
func TestSnapshotURLsHideThePassword(t *testing.T) {
	t.Parallel()
	reply, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: amf.AVMPlus{Value: &amf.Array{Dense: []any{"/img/", &amf.Array{Dense: []any{"jpg"}}, &amf.Array{Dense: []any{
			&amf.Object{Members: []amf.Member{{Name: "name", Value: "a.jpg"}}},
			&amf.Object{Members: []amf.Member{{Name: "name", Value: "b.jpg"}}},
		}}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "bob" || p != "s3cret" {
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/img/a.jpg":
			w.Write([]byte("\xff\xd8\xff\xe0 a jpeg"))
		case "/gw":
			req, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			w.Header().Set("Content-Type", "application/x-amf")
			w.Write(amftest.RenumberReply(reply, req))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	gw := strings.Replace(srv.URL, "http://", "http://bob:s3cret@", 1) + "/gw"
	for _, args := range [][]string{
		{"snapshots", "--download", t.TempDir(), gw},
		{"snapshots", "--format", "table", gw},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if strings.Contains(stdout+stderr, "s3cret") {
			t.Errorf("%s: the password is shown:\nstdout:\n%s\nstderr:\n%s", args[1], stdout, stderr)
		}
		if !strings.Contains(stdout, "bob:xxxxx@") {
			t.Errorf("%s: the listing does not name the URLs:\n%s", args[1], stdout)
		}
		if args[1] == "--download" {
			if code != exitNetwork || !strings.Contains(stdout, `"downloaded"`) || !strings.Contains(stderr, "bob:xxxxx@") {
				t.Errorf("--download: exit %d (want 3: b.jpg is not there), a.jpg not fetched with the password, or b.jpg's failure not told:\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
		}
	}
}
