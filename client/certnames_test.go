package client

import (
	"crypto/x509"
	"net"
	"testing"
)

// certNamesHint names the hosts a certificate is for, at most four, and
// escapes what the certificate says (a name is the server's text).
func TestCertNamesHint(t *testing.T) {
	for _, tc := range []struct {
		cert *x509.Certificate
		host string
		want string
	}{
		{&x509.Certificate{DNSNames: []string{"a.example"}, IPAddresses: []net.IP{net.ParseIP("10.0.0.1")}}, "b.example",
			"the server's certificate is for a.example, 10.0.0.1, not b.example"},
		{&x509.Certificate{DNSNames: []string{"1", "2", "3", "4", "5", "6"}}, "h",
			"the server's certificate is for 1, 2, 3, 4, ... (6 names), not h"},
		{&x509.Certificate{}, "h", "the server's certificate names no host (a Common Name is not checked), so not h"},
		{nil, "h", "the server's certificate names no host (a Common Name is not checked), so not h"},
		{&x509.Certificate{DNSNames: []string{"evil\x1b[2J"}}, "h", `the server's certificate is for evil\x1b[2J, not h`},
	} {
		if got := certNamesHint(x509.HostnameError{Certificate: tc.cert, Host: tc.host}); got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.cert, got, tc.want)
		}
	}
}
