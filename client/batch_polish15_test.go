package client

import (
	"errors"
	"testing"
)

// A batch line that is JSON but not a call named only its line; it now
// names the column of the key or value at fault too, as a JSON error on
// the line does (columns in bytes, from 1, in the line as the file has
// it: blanks, a byte order mark blanked, before the object count).
func TestBatchErrorColumns(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\"target\": \"a.b\"}\n\n   [1]", `line 3, column 4: want an object {"target": "svc.method", "args": [...]}`},
		{`{"args": [1]}`, `line 1, column 1: no "target": want {"target": "svc.method", "args": [...]}`},
		{`{"target": "a.b", "targt": "x"}`, `line 1, column 19: unknown key "targt" (want "target" and "args")`},
		{`{"target": "a.b", "args": {"x": 1}}`, `line 1, column 27: "args" must be a JSON array`},
		{`{"target": "a.b", "args": [], "args": [2]}`, `line 1, column 31: "args" is given twice (a call has one "target" and one "args")`},
		{`{"target": 7}`, `line 1, column 12: "target" must be a non-empty string`},
		{"   {\"target\": \"a.b\", \"x\": 1}", `line 1, column 22: unknown key "x" (want "target" and "args")`},
	} {
		_, err := ParseBatch([]byte(tc.in))
		var be *BatchError
		if !errors.As(err, &be) || err.Error() != tc.want {
			t.Errorf("ParseBatch(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}
