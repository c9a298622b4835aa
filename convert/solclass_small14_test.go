package convert

import (
	"bytes"
	"strings"
	"testing"
)

// A "$class" key on a .sol's data object was written as a member named
// "$class" without a word: the data object has no class, and typed JSON
// reads "$class" as one. Both JSON readers (the direct writer and the
// value model) now note it, and the conversion warns with its line and
// column; "$$class" (the typed spelling of the member) is not warned of.
// The bytes written are the same either way.
func TestSOLDataClassWarns(t *testing.T) {
	in := []byte("{\"sol\": \"s\", \"version\": 0, \"data\": {\"a\": 1,\n  \"$class\": \"com.example.User\", \"b\": 2}}")
	quiet := []byte(strings.Replace(string(in), `"$class"`, `"$$class"`, 1))
	want := `"$class" on the .sol's data object (line 2, column 4) is written as a member named "$class"`
	for _, path := range []struct {
		name string
		f    func([]byte, *dupKeys) ([]byte, error)
	}{
		{"direct", func(b []byte, dk *dupKeys) ([]byte, error) { return appendSOLJSON(nil, b, dk) }},
		{"model", func(b []byte, dk *dupKeys) ([]byte, error) { return appendSOLModel(nil, b, dk) }},
		{"stream", func(b []byte, dk *dupKeys) ([]byte, error) {
			var buf bytes.Buffer
			err := writeSOLJSON(&buf, b, dk)
			return buf.Bytes(), err
		}},
	} {
		var dk, dq dupKeys
		got, err := path.f(in, &dk)
		if err != nil {
			t.Fatalf("%s: %v", path.name, err)
		}
		if msg := dk.solClassWarning(in); !strings.HasPrefix(msg, want) {
			t.Errorf("%s: warning %q, want it to start %q", path.name, msg, want)
		}
		same, err := path.f(quiet, &dq)
		if err != nil {
			t.Fatalf("%s, $$class: %v", path.name, err)
		}
		if msg := dq.solClassWarning(quiet); msg != "" {
			t.Errorf("%s, $$class: warning %q, want none", path.name, msg)
		}
		if !bytes.Equal(got, same) {
			t.Errorf("%s: \"$class\" and \"$$class\" write different bytes", path.name)
		}
		if !bytes.Contains(got, []byte("\x00\x06$class")) {
			t.Errorf("%s: no member \"$class\" in % x", path.name, got)
		}
	}
	// On a typed object under a member, $class is its class: no warning.
	var dk dupKeys
	nested := []byte(`{"sol": "s", "data": {"u": {"$class": "com.example.User", "n": 1}}}`)
	if _, err := appendSOLJSON(nil, nested, &dk); err != nil || dk.solClassWarning(nested) != "" {
		t.Errorf("nested typed object: err %v, warning %q", err, dk.solClassWarning(nested))
	}
}
