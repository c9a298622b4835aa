package commands

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// call --save-response FILE replaced FILE with an empty or partial reply
// when the exchange failed before the reply was whole (a declared size
// over the limit, a connection lost mid-body). The old file is kept and a
// warning says so; a whole reply, even one that fails to decode, is
// still saved.
func TestSaveResponseKeepsFileOnPartialReply(t *testing.T) {
	t.Parallel()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Header().Set("Content-Length", "100000000000")
		w.WriteHeader(200)
	}))
	defer huge.Close()
	// 200 OK, Content-Length 100, 10 bytes, then the connection closes.
	cut := acceptAll(t, func(nc net.Conn) {
		defer nc.Close()
		br := bufio.NewReader(nc)
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		req.Body.Close()
		nc.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nContent-Length: 100\r\n\r\n\x00\x03\x00\x00\x00\x01\x00\x0b/1/"))
	})
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write([]byte("garbage"))
	}))
	defer junk.Close()
	for _, tc := range []struct {
		name, url, want string
		keep            bool
	}{
		{"declared too large", huge.URL, "left as it was: the reply was not received whole (0 bytes of it were read)", true},
		{"cut short", "http://" + cut + "/", "left as it was: the reply was not received whole (11 bytes of it were read)", true},
		{"whole but not AMF", junk.URL, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "r.bin")
			if err := os.WriteFile(file, []byte("KEEP\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := run(t, []string{"call", "--save-response", file, tc.url, "x.y"}, "", nil, false)
			if code != exitNetwork {
				t.Errorf("exit %d, want 3; stderr %s", code, stderr)
			}
			got, _ := os.ReadFile(file)
			switch {
			case tc.keep && string(got) != "KEEP\n":
				t.Errorf("the file now holds %q; want it kept", got)
			case !tc.keep && string(got) != "garbage":
				t.Errorf("the file holds %q; want the whole reply", got)
			}
			if tc.want != "" && !strings.Contains(stderr, "amfcall: warning: --save-response "+file+" "+tc.want) {
				t.Errorf("stderr %s\nwant the warning %q", stderr, tc.want)
			}
		})
	}
}
