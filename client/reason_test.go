package client

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestHTTPErrorReason: the failures a caller says more about (with the
// flags of its own that bear on them) are told by HTTPError.Reason, not
// by the words of the message, which may change. Each case is made for
// real on 127.0.0.1.
func TestHTTPErrorReason(t *testing.T) {
	t.Parallel()
	status := func(code int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", code)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	untrusted := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(untrusted.Close)
	// A server that wants a client certificate: the handshake ends in
	// its alert (in TLS 1.2, within the handshake: no race with the
	// request written).
	alerting := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	alerting.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert, MaxVersion: tls.VersionTLS12}
	alerting.StartTLS()
	t.Cleanup(alerting.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	downgrade := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:1/gateway", http.StatusTemporaryRedirect)
	}))
	downgrade.StartTLS()
	t.Cleanup(downgrade.Close)

	for _, tc := range []struct {
		name string
		url  string
		cfg  Config
		want HTTPReason
	}{
		{"401 without credentials", status(http.StatusUnauthorized), Config{}, ReasonAuthWanted},
		{"400", status(http.StatusBadRequest), Config{}, ReasonBadRequest},
		{"404", status(http.StatusNotFound), Config{}, 0},
		{"413", status(http.StatusRequestEntityTooLarge), Config{}, 0},
		{"not trusted", untrusted.URL, Config{}, ReasonNotTrusted},
		{"alert", alerting.URL, Config{Insecure: true}, 0},
		{"proxy refused", "http://gw.invalid/gateway", Config{Proxy: http.ProxyURL(&url.URL{Scheme: "http", Host: closed})}, ReasonProxyRefused},
		{"https to http", downgrade.URL, Config{CACerts: pemOf(t, downgrade)}, ReasonDowngrade},
	} {
		var he *HTTPError
		var err error
		for try := 0; ; try++ {
			c, err2 := New(tc.url, tc.cfg)
			if err2 != nil {
				t.Fatalf("%s: %v", tc.name, err2)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_, err = c.Call(ctx, "a.b", nil)
			cancel()
			if tc.name == "proxy refused" && try < 5 && errors.As(err, &he) && he.Status != "" {
				// The closed port was taken meanwhile by another
				// test's server, which answered: take another one.
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				tc.cfg.Proxy = http.ProxyURL(&url.URL{Scheme: "http", Host: ln.Addr().String()})
				ln.Close()
				continue
			}
			break
		}
		if !errors.As(err, &he) || he.Reason != tc.want || tc.name == "alert" && (!errors.Is(err, ErrTLS) || !strings.Contains(he.Hint, "client certificate")) ||
			tc.name == "413" && !strings.Contains(he.Hint, "takes no request this large") {
			t.Errorf("%s: %v (reason %v), want reason %v", tc.name, err, reasonOf(he), tc.want)
		}
	}
}

func reasonOf(he *HTTPError) any {
	if he == nil {
		return "none"
	}
	return he.Reason
}

// pemOf is the certificate of s as PEM, for Config.CACerts.
func pemOf(t *testing.T, s *httptest.Server) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}
