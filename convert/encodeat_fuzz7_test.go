package convert

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// JSON that parses into a value AMF cannot hold (here an empty dynamic
// member name in AMF3) failed with the encoder's path only: no line,
// column or offset, where every other error of the JSON readers has one
// (found by FuzzJSONErrorsSayWhere on the committed corpora). The error
// now names the place in the text its path leads to (here the empty
// key; conv14: it was where the JSON value starts), and is still the encoder's
// (*amf.EncodeError, exit 4 in the CLI).
func TestEncodeErrorSaysWhere(t *testing.T) {
	data := []byte("[1]\n  [{\"\":1}]\n")
	const where = `within "/0", at line 2, column 5 (offset 8)` // the empty key
	var out bytes.Buffer
	for _, r := range []struct {
		name string
		err  func() error
		want string
	}{
		{"AppendJSONAsAMF", func() error { _, err := AppendJSONAsAMF(nil, data, amf.AMF3); return err }, "amf3: value cannot be encoded: "},
		{"WriteJSONAsAMF", func() error { return WriteJSONAsAMF(&out, data, amf.AMF3) }, "amf3: value cannot be encoded: "},
		{"FramesFromJSON", func() error { _, err := FramesFromJSON(nil, data); return err }, "frame 2: amf3: value cannot be encoded: "},
		{"WriteFramesFromJSON", func() error { return WriteFramesFromJSON(&out, data) }, "frame 2: amf3: value cannot be encoded: "},
	} {
		err := r.err()
		var ee *amf.EncodeError
		if err == nil || !errors.As(err, &ee) || !strings.HasPrefix(err.Error(), r.want) || !strings.HasSuffix(err.Error(), where) {
			t.Errorf("%s: %v; want %q...%q, an *amf.EncodeError", r.name, err, r.want, where)
		}
	}
}
