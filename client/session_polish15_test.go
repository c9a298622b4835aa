package client

import (
	"errors"
	"strings"
	"testing"
)

// A session file with a value of the wrong type said encoding/json's
// words, Go's own ("cannot unmarshal number into Go struct field
// sessionHeader.headers.name of type string"). It now says which member
// holds what, and what JSON is wanted there, at the same line and column.
func TestSessionTypeErrorWords(t *testing.T) {
	for _, tc := range []struct {
		in, want  string
		line, col int
	}{
		{`{"version": 1, "headers": [{"name": 5}]}`, `"headers.name" is a number, where a string is wanted`, 1, 37},
		{`{"version": "1"}`, `"version" is a string, where a whole number is wanted`, 1, 15},
		{"{\"version\": 1,\n \"headers\": {}}", `"headers" is an object, where an array is wanted`, 2, 13},
		{`{"version": 1, "headers": [{"name": "a", "mustUnderstand": "yes"}]}`, `"headers.mustUnderstand" is a string, where true or false is wanted`, 1, 64},
	} {
		c, err := New("http://127.0.0.1:1/gateway", Config{})
		if err != nil {
			t.Fatal(err)
		}
		err = c.LoadSession([]byte(tc.in))
		var se *SessionError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "Go struct") || se.Line != tc.line || se.Column != tc.col {
			t.Errorf("LoadSession(%q) = %v; want %q at line %d, column %d", tc.in, err, tc.want, tc.line, tc.col)
		}
	}
}
