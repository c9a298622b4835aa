package client

import (
	"strings"
	"testing"
)

// MergeSession keeps what the run did not change as the file on disk
// has it, and the run's own changes; where both changed one part, the
// run's wins and the part is named.
func TestMergeSession(t *testing.T) {
	cookie := func(name, value string) string {
		return `{"url": "http://127.0.0.1:8000/", "name": "` + name + `", "value": "` + value + `", "path": "/"}`
	}
	file := func(dsid string, cookies ...string) []byte {
		return []byte(`{"version": 1, "gateway": "http://127.0.0.1:8000/", "dsid": "` + dsid + `", "headers": [], "cookies": [` + strings.Join(cookies, ",") + `]}`)
	}
	for _, tc := range []struct {
		name             string
		base, disk, ours []byte
		want             []string // in the merged file, in order
		absent           []string
		clashes          string
	}{
		{name: "the other logged in, this run only read",
			base: file("A"), disk: file("A", cookie("JSESSIONID", "login")), ours: file("A"),
			want: []string{`"dsid": "A"`, `"value": "login"`}},
		{name: "this run got a DSId, the other a cookie",
			base: nil, disk: file("", cookie("JSESSIONID", "login")), ours: file("B"),
			want: []string{`"dsid": "B"`, `"value": "login"`}},
		{name: "each set its own cookie, in disk's order then ours",
			base: file("A"), disk: file("A", cookie("X", "1")), ours: file("A", cookie("Y", "2")),
			want: []string{`"name": "X"`, `"name": "Y"`}},
		{name: "this run removed a cookie the other left alone",
			base: file("A", cookie("X", "1")), disk: file("A", cookie("X", "1"), cookie("Z", "3")), ours: file("A"),
			want: []string{`"name": "Z"`}, absent: []string{`"name": "X"`}},
		{name: "this run dropped a cookie the other set again",
			base: file("A", cookie("X", "1")), disk: file("A", cookie("X", "2")), ours: file("A"),
			want: []string{`"value": "2"`}},
		{name: "both changed the DSId and one cookie",
			base: file("A", cookie("X", "1")), disk: file("C", cookie("X", "2")), ours: file("B", cookie("X", "3")),
			want: []string{`"dsid": "B"`, `"value": "3"`}, absent: []string{`"value": "2"`},
			clashes: "the Flex client id (DSId) and login, the cookie X"},
		{name: "both made the same change: no clash",
			base: file("A"), disk: file("B"), ours: file("B"), want: []string{`"dsid": "B"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, clashes, err := MergeSession(tc.base, tc.disk, tc.ours)
			if err != nil {
				t.Fatal(err)
			}
			s, at := string(got), 0
			for _, w := range tc.want {
				i := strings.Index(s[at:], w)
				if i < 0 {
					t.Fatalf("merged file lacks %s (in order):\n%s", w, s)
				}
				at += i
			}
			for _, a := range tc.absent {
				if strings.Contains(s, a) {
					t.Errorf("merged file holds %s:\n%s", a, s)
				}
			}
			if strings.Join(clashes, ", ") != tc.clashes {
				t.Errorf("clashes %q, want %q", clashes, tc.clashes)
			}
			// What is written loads.
			c, err := New("http://127.0.0.1:8000/", Config{})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.LoadSession(got); err != nil {
				t.Errorf("merged file does not load: %v\n%s", err, s)
			}
		})
	}
	if _, _, err := MergeSession(nil, []byte("{not json"), file("A")); err == nil {
		t.Error("a disk file that is not a session merged without error")
	}
}

// A file that is no session at all (curl's cookie jar, the -d file, a
// JSON array) is named as what it is, not "not valid: ... delete it to
// start a new session", which would lose the user's file; a damaged
// session keeps that advice.
func TestLoadSessionNotASession(t *testing.T) {
	c, err := New("http://127.0.0.1:1/gw", Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		data, what string
		jar        bool
	}{
		{"# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tJSESSIONID\tabc\n", "a Netscape cookie file (as curl -c writes one)", true},
		{"127.0.0.1\tFALSE\t/\tFALSE\t0\tJSESSIONID\tabc\n", "a Netscape cookie file (as curl -c writes one)", true},
		{"[1, 2]", "not a JSON object", false},
		{"JSESSIONID=abc", "not a JSON object", false},
		{`{"a": 1}`, `a JSON object with no "version" member`, false},
	} {
		err := c.LoadSession([]byte(tc.data))
		se, ok := err.(*SessionError)
		if !ok || se.Other != tc.what || se.CookieJar != tc.jar || strings.Contains(err.Error(), "delete") {
			t.Errorf("LoadSession(%q) = %#v", tc.data, err)
		}
	}
	for _, data := range []string{`{"version": 1, "gateway": "http://x/", "cookies": [`, `{"version": 2}`} {
		if err := c.LoadSession([]byte(data)); err == nil || !strings.Contains(err.Error(), "delete it to start a new session") {
			t.Errorf("LoadSession(%q) = %v", data, err)
		}
	}
}

func TestSameGateway(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"http://127.0.0.1:8000", "http://127.0.0.1:8000/", true},
		{"HTTP://Example.COM/gw", "http://example.com/gw", true},
		{"http://example.com:80/gw", "http://example.com/gw", true},
		{"https://example.com:443/", "https://example.com", true},
		{"http://[::1]:80/", "http://[::1]/", true},
		{"http://example.com/gw", "http://example.com/gw/", false},
		{"http://example.com/Gw", "http://example.com/gw", false},
		{"http://example.com:8080/", "http://example.com/", false},
		{"http://localhost:8000/", "http://127.0.0.1:8000/", false},
		{"https://example.com/", "http://example.com/", false},
		{"http://example.com/?a=1", "http://example.com/", false},
		{"http://a:b@example.com/", "http://example.com/", false},
	} {
		if got := sameGateway(tc.a, tc.b); got != tc.same {
			t.Errorf("sameGateway(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
