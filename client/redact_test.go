package client

import "testing"

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://bob:pw@host/gw":       "http://bob:xxxxx@host/gw",
		"https://bob:pw@host:8443/":   "https://bob:xxxxx@host:8443/",
		"http://bob@host/":            "http://bob@host/",
		"http://host/a@b:c":           "http://host/a@b:c",
		"http://host/?u=a:b@c":        "http://host/?u=a:b@c",
		"http://bob:pw@host:bad/":     "http://bob:xxxxx@host:bad/", // does not parse
		"http://bob:pw@[::1/x":        "http://bob:xxxxx@[::1/x",
		"bob:pw@127.0.0.1:8000/gw":    "bob:xxxxx@127.0.0.1:8000/gw", // no scheme
		"socks5://u:p:q@proxy:1080":   "socks5://u:xxxxx@proxy:1080",
		"http://a:b@c@host/":          "http://a:xxxxx@host/",
		"":                            "",
		"echo.echo":                   "echo.echo",
		"localhost:8000/gateway":      "localhost:8000/gateway",
		"http://bob:p%zz@host/":       "http://bob:xxxxx@host/",
		"http://bob:pw@host/p?x=y#f@": "http://bob:xxxxx@host/p?x=y#f@",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRedactURL: RedactURL never panics, leaves no password but
// "xxxxx" in what it returns (checkRedacted).
func FuzzRedactURL(f *testing.F) {
	f.Add("http://bob:pw@host/")
	f.Add("bob:pw@h")
	f.Add("http://a:b@c@host/")
	f.Add("socks5://u:p:q@proxy:1080")
	f.Fuzz(func(t *testing.T, s string) {
		checkRedacted(t, s)
	})
}
