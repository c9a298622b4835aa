package client

import (
	"errors"
	"testing"
)

func TestParseBatch(t *testing.T) {
	calls, err := ParseBatch([]byte("{\"target\": \"a.b\", \"args\": [1, \"x\"]}\n\n  \n{\"target\": \"c\"}\n"))
	if err != nil || len(calls) != 2 || calls[0].Target != "a.b" || len(calls[0].Args) != 2 || calls[1].Target != "c" || calls[1].Args != nil {
		t.Fatalf("ParseBatch = %+v, %v", calls, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"{\"target\": \"a\"}\n[1]", `line 2: want an object {"target": "svc.method", "args": [...]}`},
		{`{"target": "a", "args": {"x": 1}}`, `line 1: "args" must be a JSON array`},
		{`{"target": "a", "arg": []}`, `line 1: unknown key "arg" (want "target" and "args")`},
		{`{"target": ""}`, `line 1: "target" must be a non-empty string`},
		{`{"target": 5}`, `line 1: "target" must be a non-empty string`},
		// A JSON error names the line of the file and the column in it,
		// not "line 1" of the line read on its own.
		{"{\"target\": \"a\"}\n{\"target\": \"b\", \"args\": [1,]}", `line 2, column 28: json: invalid character ']' looking for beginning of value`},
	} {
		_, err := ParseBatch([]byte(tc.in))
		var be *BatchError
		if !errors.As(err, &be) || err.Error() != tc.want {
			t.Errorf("ParseBatch(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := ParseBatch([]byte("\n \n")); !errors.Is(err, ErrEmptyBatch) {
		t.Errorf("empty batch: %v", err)
	}
	if _, err := ParseBatch([]byte("{\"target\": \"a\",")); err == nil {
		t.Errorf("broken JSON accepted")
	}
}
