package commands

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// uploadedBytes is the ByteArray that the one upload request to reach
// the gateway carried, and whether it had a Credentials header.
func uploadedBytes(t *testing.T, sent []*amf.Packet) ([]byte, bool) {
	t.Helper()
	if len(sent) != 1 {
		t.Fatalf("the gateway got %d requests, want 1", len(sent))
	}
	arr, ok := amf.Unwrap(sent[0].Messages[0].Value).(*amf.Array)
	if !ok || len(arr.Dense) == 0 {
		t.Fatalf("arguments %#v", sent[0].Messages[0].Value)
	}
	ba, ok := amf.Unwrap(arr.Dense[0]).(*amf.ByteArray)
	if !ok {
		t.Fatalf("first argument %T", arr.Dense[0])
	}
	cred := false
	for _, h := range sent[0].Headers {
		cred = cred || h.Name == "Credentials"
	}
	return ba.Data, cred
}

// TestUploadFollowsRedirect: upload answered with a 307 or 308 sends
// the file whole again to the new location, as call (and curl -L) does
// for its POST; before, it failed with "a streamed request is not sent
// again", exit 3. The redirecting server answers before reading the
// body, so the first request is cut in the middle of the file: the
// second must carry it from its first byte. Credentials go to another
// host only with --location-trusted.
func TestUploadFollowsRedirect(t *testing.T) {
	content := make([]byte, 3<<20+17)
	for i := range content {
		content[i] = byte(i * 7)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "big.png")
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		code     int
		args     []string
		stdin    bool
		wantCred bool
		warn     string
	}{
		{name: "307", code: 307},
		{name: "308 stdin", code: 308, stdin: true},
		{name: "307 credentials held back", code: 307, args: []string{"-u", "alice:pw"},
			warn: "not sending the AMF Credentials header there"},
		{name: "308 credentials trusted", code: 308, args: []string{"-u", "alice:pw", "--location-trusted"}, wantCred: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gw, sent := recordingGateway(t)
			redir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// The answer comes after 1 MiB of the body: the client
				// gets it in the middle of sending the file (the rest
				// is read and dropped, rather than reset, which would
				// make net/http wait 0.5 s).
				io.CopyN(io.Discard, r.Body, 1<<20)
				conn, rw, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				fmt.Fprintf(rw, "HTTP/1.1 %d Redirect\r\nLocation: %s/gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", tc.code, gw.URL)
				rw.Flush()
				go func() {
					io.Copy(io.Discard, rw)
					conn.Close()
				}()
			}))
			defer redir.Close()
			args := append([]string{"upload", redir.URL + "/old", "ByteArray.saveSnapshot"}, tc.args...)
			stdin := ""
			if tc.stdin {
				args = append(args, "-", `"png"`)
				stdin = string(content)
			} else {
				args = append(args, file)
			}
			stdout, stderr, code := run(t, args, stdin, nil, false)
			if code != 0 || strings.TrimSpace(stdout) != `"ok"` {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
			}
			got, cred := uploadedBytes(t, sent())
			if !bytes.Equal(got, content) {
				t.Errorf("the gateway got %d bytes, not the file's %d as they are", len(got), len(content))
			}
			if cred != tc.wantCred {
				t.Errorf("Credentials header sent: %v, want %v", cred, tc.wantCred)
			}
			if tc.warn != "" && !strings.Contains(stderr, tc.warn) {
				t.Errorf("stderr lacks %q:\n%s", tc.warn, stderr)
			}
		})
	}
}

// TestUploadRedirectLoopBounded: a redirect to itself stops at the
// limit, as call's does (exit 3, naming it).
func TestUploadRedirectLoopBounded(t *testing.T) {
	var n int
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		http.Redirect(w, r, srv.URL+"/again", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "a.png")
	if err := os.WriteFile(file, []byte("png"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, []string{"upload", srv.URL, "ByteArray.saveSnapshot", file}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "stopped after 10 redirects") || n != 10 {
		t.Errorf("exit %d after %d requests, stderr:\n%s", code, n, stderr)
	}
}
