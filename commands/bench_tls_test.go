package commands

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// tlsGateway serves the demo gateway over HTTPS on 127.0.0.1 with
// httptest's self-signed certificate, which it also writes, as PEM, to a
// file for --cacert.
func tlsGateway(t *testing.T) (url, caFile string) {
	t.Helper()
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(g)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(func() {
		srv.Close()
		g.Close()
	})
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	return srv.URL + "/", writeFile(t, "ca.pem", ca)
}

// bench against an HTTPS gateway whose certificate no system CA signed:
// every request is a TLS failure (exit 3, as cli.md says of TLS) and the
// hint names --cacert and --insecure; with the certificate given by
// --cacert, or with -k, every call is answered.
func TestBenchTLS(t *testing.T) {
	t.Parallel()
	url, ca := tlsGateway(t)
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "-n", "4", url, "echo.echo", "1"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "  calls      0 answered") || !strings.Contains(stdout, "  transport errors:\n           4  TLS failure\n") ||
		stderr != "amfcall: error: no call was answered (4 requests)\n"+
			"amfcall: hint: if the certificate is not trusted, pass its CA with --cacert FILE, or skip the check with --insecure\n"+
			"amfcall: hint: check the URL; see one exchange with amfcall call -vv "+url+" echo.echo 1\n" {
		t.Errorf("untrusted: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, flags := range [][]string{{"--cacert", ca}, {"-k"}, {"--insecure"}} {
		args := append(append([]string{"bench", "-c", "2", "-n", "4"}, flags...), url, "echo.echo", "1")
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 0 || stderr != "" || !regexp.MustCompile(`\n  calls      4 answered \([\d,.]+/s\): 4 results, 0 faults\n`).MatchString(stdout) {
			t.Errorf("%s: code %d\nstdout:\n%s\nstderr:\n%s", strings.Join(flags, " "), code, stdout, stderr)
		}
	}
	// A --cacert file that holds no certificate is a usage error before
	// anything is sent, named as call names it (bench and list hinted
	// at the URL's scheme).
	empty := writeFile(t, "empty.pem", []byte("not a certificate\n"))
	for _, args := range [][]string{
		{"bench", "-n", "1", "--cacert", empty, url, "echo.echo"},
		{"list", "--cacert", empty, url},
		{"call", "--cacert", empty, url, "echo.echo"},
	} {
		checkCase(t, cliCase{args: args, code: 2,
			stderr: "amfcall: error: --cacert " + empty + ": no PEM certificate found in it\namfcall: hint: give a PEM file of CA certificates\n"})
	}
}

// bench follows a 307 redirect as call does: to another host (localhost
// is not 127.0.0.1) it sends neither -u's Credentials header, nor -H
// fields (a Cookie among them), nor the cookies the first host set, and
// warns once; --location-trusted sends them. A redirect that would turn
// the POST into a GET (302) is refused, and nothing reaches the other host.
func TestBenchRedirect(t *testing.T) {
	t.Parallel()
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	var mu sync.Mutex
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		got = append(got, fmt.Sprintf("X-Api-Key=%s Cookie=%s password=%v", r.Header.Get("X-Api-Key"), r.Header.Get("Cookie"), strings.Contains(string(b), "wonderland")))
		mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(other.Close)
	_, port, _ := strings.Cut(strings.TrimPrefix(other.URL, "http://"), ":")
	to := "http://localhost:" + port + "/gw"
	redirect := func(code int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1", Path: "/"})
			http.Redirect(w, r, to, code)
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/"
	}
	take := func() []string {
		mu.Lock()
		defer mu.Unlock()
		s := got
		got = nil
		return s
	}
	secrets := []string{"-u", "alice:wonderland", "-H", "Cookie: a=b", "-H", "X-Api-Key: k1"}

	from := redirect(http.StatusTemporaryRedirect)
	stdout, stderr, code := run(t, append(append([]string{"bench", "-c", "1", "-n", "2"}, secrets...), from, "echo.echo", "1"), "", nil, false)
	if code != 0 || !strings.Contains(stdout, "2 results, 0 faults") ||
		stderr != "amfcall: warning: the gateway redirects to another host ("+to+"): not sending Cookie, X-Api-Key, the AMF Credentials header there\n" {
		t.Errorf("307: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if g := take(); strings.Join(g, "; ") != "X-Api-Key= Cookie= password=false; X-Api-Key= Cookie= password=false" {
		t.Errorf("307: the other host got %q, want no key, no cookie, no password", g)
	}

	stdout, stderr, code = run(t, append(append([]string{"bench", "-c", "1", "-n", "1", "--location-trusted"}, secrets...), from, "echo.echo", "1"), "", nil, false)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "1 results, 0 faults") {
		t.Errorf("307 --location-trusted: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if g := take(); strings.Join(g, "; ") != "X-Api-Key=k1 Cookie=a=b password=true" {
		t.Errorf("307 --location-trusted: the other host got %q, want all of it", g)
	}

	stdout, _, code = run(t, append(append([]string{"bench", "-c", "1", "-n", "2"}, secrets...), redirect(http.StatusFound), "echo.echo", "1"), "", nil, false)
	if code != 3 || !strings.Contains(stdout, "  transport errors:\n           2  redirect refused\n") {
		t.Errorf("302: code %d\nstdout:\n%s", code, stdout)
	}
	if g := take(); g != nil {
		t.Errorf("302: the other host got %q", g)
	}
}

// One request that failed: "(1 request)", as a user reads it.
func TestBenchOneRequestFailed(t *testing.T) {
	t.Parallel()
	addr := closedPort(t)
	stdout, stderr, code := run(t, []string{"bench", "-n", "1", "http://" + addr + "/", "a.b"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "transport errors:\n           1  connection refused\n") ||
		stderr != "amfcall: error: no call was answered (1 request)\namfcall: hint: check the URL; see one exchange with amfcall call -vv http://"+addr+"/ a.b\n" {
		t.Errorf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
