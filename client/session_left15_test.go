package client

import (
	"errors"
	"strings"
	"testing"
)

// A cookie whose "expires" time.Time refuses (a date in other words, a
// number, a bool) was told in time's words ("Time.UnmarshalJSON: input
// is not a JSON string") with no place in the file. It now names the
// cookie, what its "expires" holds, and its line and column.
func TestSessionCookieBadExpiresPlace(t *testing.T) {
	for _, tc := range []struct {
		in, want  string
		line, col int
	}{
		{"{\"version\": 1,\n \"cookies\": [\n  {\"name\": \"a\", \"value\": \"b\", \"expires\": \"tomorrow\"}]}",
			`cookie 1 ("a"): its "expires" is "tomorrow", where a date string`, 3, 42},
		{`{"version": 1, "cookies": [{"name": "a", "value": "b"}, {"name": "s", "expires": 12345}]}`,
			`cookie 2 ("s"): its "expires" is a number, where a date string`, 1, 82},
		{`{"version": 1, "cookies": [{"name": "t", "expires": true}]}`,
			`cookie 1 ("t"): its "expires" is true or false`, 1, 53},
		{`{"version": 1, "cookies": [{"name": "t", "expires": "2030-13-40T00:00:00Z"}]}`,
			`its "expires" is "2030-13-40T00:00:00Z"`, 1, 53},
	} {
		c, err := New("http://127.0.0.1:1/gateway", Config{})
		if err != nil {
			t.Fatal(err)
		}
		err = c.LoadSession([]byte(tc.in))
		var se *SessionError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) || se.Line != tc.line || se.Column != tc.col {
			t.Errorf("LoadSession(%q) = %v; want %q at line %d, column %d", tc.in, err, tc.want, tc.line, tc.col)
		}
	}
	// A good date and no date still load.
	c, _ := New("http://127.0.0.1:1/gateway", Config{})
	if err := c.LoadSession([]byte(`{"version": 1, "cookies": [{"url": "http://127.0.0.1:1/", "name": "a", "value": "b", "expires": "2099-01-02T15:04:05Z"}, {"url": "http://127.0.0.1:1/", "name": "c", "value": "d"}]}`)); err != nil {
		t.Fatal(err)
	}
}
