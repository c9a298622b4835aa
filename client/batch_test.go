package client

import (
	"errors"
	"fmt"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func TestParseBatch(t *testing.T) {
	calls, err := ParseBatch([]byte("{\"target\": \"a.b\", \"args\": [1, \"x\"]}\n\n  \n{\"target\": \"c\"}\n"))
	if err != nil || len(calls) != 2 || calls[0].Target != "a.b" || len(calls[0].Args) != 2 || calls[1].Target != "c" || calls[1].Args != nil {
		t.Fatalf("ParseBatch = %+v, %v", calls, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"{\"target\": \"a\"}\n[1]", `line 2, column 1: want an object {"target": "svc.method", "args": [...]}`},
		{`{"target": "a", "args": {"x": 1}}`, `line 1, column 25: "args" must be a JSON array`},
		{`{"target": "a", "arg": []}`, `line 1, column 17: unknown key "arg" (want "target" and "args")`},
		{`{"target": ""}`, `line 1, column 12: "target" must be a non-empty string`},
		{`{"target": 5}`, `line 1, column 12: "target" must be a non-empty string`},
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

// Keys given twice in a call's arguments are kept, both in order, and
// warned of once for the whole batch, at their line and column in it;
// the call's own "target" or "args" twice is an error.
func TestParseBatchDuplicateKeys(t *testing.T) {
	data := []byte("{\"target\": \"a\"}\n\n{\"target\": \"b\", \"args\": [{\"k\": 1, \"k\": 2}]}\n{\"target\": \"c\", \"args\": [{\"j\": [{\"m\": 1, \"m\": 1}]}]}\n")
	var warns []string
	calls, err := ParseBatchWarn(data, func(msg string) { warns = append(warns, msg) })
	if err != nil || len(calls) != 3 {
		t.Fatalf("ParseBatchWarn = %d calls, %v", len(calls), err)
	}
	o := calls[1].Args[0].(*amf.Object)
	if got := fmt.Sprint(o.Members); got != "[{k 1} {k 2}]" {
		t.Errorf("members %+v, want k=1 then k=2", o.Members)
	}
	want := `2 keys are given again in the object they are in (the first "k", line 3, column 36): each is written as often as given, in order`
	if len(warns) != 1 || warns[0] != want {
		t.Errorf("warnings %q, want [%q]", warns, want)
	}
	// ParseBatch keeps quiet; a batch without such keys warns of nothing.
	if _, err := ParseBatch(data); err != nil {
		t.Error(err)
	}
	warns = nil
	if _, err := ParseBatchWarn([]byte(`{"target": "a", "args": [{"k": 1}, {"k": 2}]}`), func(msg string) { warns = append(warns, msg) }); err != nil || warns != nil {
		t.Errorf("distinct objects: %v, warnings %q", err, warns)
	}
	// A batch that fails warns of nothing: the error is what counts.
	warns = nil
	for _, tc := range []struct{ in, want string }{
		{`{"target": "a", "target": "b"}`, `line 1, column 17: "target" is given twice (a call has one "target" and one "args")`},
		{"{\"target\": \"a\", \"args\": [{\"k\": 1, \"k\": 2}]}\n{\"target\": \"a\", \"args\": [], \"args\": [1]}", `line 2, column 29: "args" is given twice (a call has one "target" and one "args")`},
	} {
		_, err := ParseBatchWarn([]byte(tc.in), func(msg string) { warns = append(warns, msg) })
		var be *BatchError
		if !errors.As(err, &be) || err.Error() != tc.want {
			t.Errorf("ParseBatch(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	if warns != nil {
		t.Errorf("a batch refused warned %q", warns)
	}
}

// TestParseBatchInTZ: in AMF3 (--amf3, Flex) a date's "$tz" is dropped,
// and the batch is warned of it once, naming the first date's line, as
// the arguments of one call are; AMF0 writes it, with no warning.
func TestParseBatchInTZ(t *testing.T) {
	data := []byte(`{"target": "a.b", "args": [1]}` + "\n" +
		`{"target": "a.b", "args": [{"$date": "2020-01-01T00:00:00Z", "$tz": 60}]}` + "\n" +
		`{"target": "a.b", "args": [{"$date": "2020-01-01T00:00:00Z", "$tz": -60}]}` + "\n")
	var warns []string
	calls, err := ParseBatchIn(data, amf.AMF3, func(msg string) { warns = append(warns, msg) })
	if err != nil || len(calls) != 3 {
		t.Fatalf("ParseBatchIn = %d calls, %v", len(calls), err)
	}
	want := `2 dates' "$tz" are dropped (the first at "/args/0", line 2, column 63): AMF3 dates have no time-zone field (AMF0 writes it); each date is written without it`
	if len(warns) != 1 || warns[0] != want {
		t.Errorf("AMF3 warnings %q, want [%q]", warns, want)
	}
	warns = nil
	if _, err := ParseBatchIn(data, amf.AMF0, func(msg string) { warns = append(warns, msg) }); err != nil || warns != nil {
		t.Errorf("AMF0: %v, warnings %q, want none", err, warns)
	}
}
