package gateway

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A web page can make a browser POST to a gateway on loopback without
// asking it first ("simple" requests: text/plain, form bodies, no
// type), and reach it through a DNS name it rebinds to 127.0.0.1. The
// gateway answers only AMF-typed POSTs, for the hosts it is.
func TestRefusesCrossSiteRequests(t *testing.T) {
	var logBuf syncBuffer
	dir := t.TempDir()
	g := newTestGateway(t, Options{ImagesDir: dir, Log: &logBuf, AllowHosts: []string{"amf.test"}})
	srv := httptest.NewServer(g)
	defer srv.Close()
	if err := os.WriteFile(filepath.Join(dir, "a.jpg"), jpegBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	save := packet(3, "ByteArray.saveSnapshot", jpegBytes, "jpg")
	do := func(method, path, host, ct string, body []byte) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		if ct != "-" {
			req.Header.Set("Content-Type", ct)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s (Host %s, Content-Type %s): %v", method, path, host, ct, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, tc := range []struct {
		name, method, path, host, ct string
		want                         int
	}{
		{"text/plain (a simple request)", "POST", "/", "", "text/plain", 415},
		{"form body", "POST", "/", "", "application/x-www-form-urlencoded", 415},
		{"no Content-Type (a Blob or ArrayBuffer body)", "POST", "/", "", "-", 415},
		{"AMF look-alike type", "POST", "/", "", "application/x-amfx", 415},
		{"rebinding name", "POST", "/", "attacker.example:8000", "application/x-amf", 403},
		{"rebinding name without port", "POST", "/", "attacker.example", "application/x-amf", 403},
		{"localhost subdomain", "POST", "/", "evil.localhost", "application/x-amf", 403},
		{"image through a rebinding name", "GET", "/images/a.jpg", "attacker.example", "-", 403},

		{"AMF from loopback", "POST", "/", "", "application/x-amf", 200},
		{"AMF with a parameter, any case", "POST", "/", "", "Application/X-AMF; charset=binary", 200},
		{"localhost", "POST", "/", "LocalHost.:8000", "application/x-amf", 200},
		{"IPv6 loopback", "POST", "/", "[::1]:8000", "application/x-amf", 200},
		{"IPv6 with a zone", "POST", "/", "[fe80::1%25eth0]:8000", "application/x-amf", 200},
		{"an allowed name", "POST", "/", "AMF.test.:80", "application/x-amf", 200},
		{"image from loopback", "GET", "/images/a.jpg", "", "-", 200},
	} {
		var body []byte
		if tc.method == "POST" {
			body = save
		}
		before := countImages(t, dir)
		status, text := do(tc.method, tc.path, tc.host, tc.ct, body)
		if status != tc.want {
			t.Errorf("%s: status %d, want %d: %s", tc.name, status, tc.want, text)
			continue
		}
		after := countImages(t, dir)
		if tc.want != 200 {
			if after != before {
				t.Errorf("%s: refused, yet an image was saved", tc.name)
			}
			if want := map[int]string{403: "not for the host", 415: "Content-Type: application/x-amf"}[tc.want]; !strings.Contains(text, want) {
				t.Errorf("%s: reason %q, want it to say %q", tc.name, text, want)
			}
		} else if tc.method == "POST" && after != before+1 {
			t.Errorf("%s: no image saved (%d before, %d after)", tc.name, before, after)
		}
	}
	if log := logBuf.String(); !strings.Contains(log, "-> 415") || !strings.Contains(log, "-> 403") {
		t.Errorf("the refusals are not logged:\n%s", log)
	}
}

func countImages(t *testing.T, dir string) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}
