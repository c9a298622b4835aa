package client

import (
	"net/url"
	"testing"
)

// checkRedacted (fuzz13) holds RedactURL to what it promises: whatever
// the output parses as, it has no password but "xxxxx"; the output of
// a URL with a password differs from it. (Redacting twice may differ in
// form: "A://: 0@h" parses only once its password is "xxxxx", and
// url.Parse then lowers the scheme.)
func checkRedacted(t *testing.T, s string) {
	t.Helper()
	out := RedactURL(s)
	if u, err := url.Parse(out); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "xxxxx" {
			t.Fatalf("RedactURL(%q) = %q, which has the password %q", s, out, pw)
		}
	}
	if u, err := url.Parse(s); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "xxxxx" && out == s {
			t.Fatalf("RedactURL(%q) left it as it was, with its password %q", s, pw)
		}
	}
}
