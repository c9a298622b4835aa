package convert

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestSOLRepeatedKeysRoundTrip: a key repeated inside a .sol member's
// value (an AMF0 object {a: "x", a: "y"}) and a repeated .sol member
// both come back byte for byte through typed JSON, and both are noted
// when the JSON is read back. The writer warns of the repeated member
// only: it does not look inside values (FuzzSOLTypedRoundTrip expected
// a warning for both and failed on the first; found by fuzz6).
func TestSOLRepeatedKeysRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		hex  string
		warn bool
	}{
		{`00 BF 00 00 00 00 54 43 53 4F 00 04 00 00 00 00 00 01 73 00 00 00 00  00 01 6F 03 00 01 61 02 00 01 78 00 01 61 02 00 01 79 00 00 09 00`, false},
		{`00 BF 00 00 00 00 54 43 53 4F 00 04 00 00 00 00 00 01 73 00 00 00 00  00 01 61 01 01 00  00 01 61 01 00 00`, true},
	} {
		data := mustHex(t, tc.hex)
		binary.BigEndian.PutUint32(data[2:], uint32(len(data)-6)) // the header's length
		s, err := amf.UnmarshalSOL(data)
		if err != nil {
			t.Fatal(err)
		}
		var warns []string
		typed, err := AppendSOL(nil, s, &Options{Typed: true, Warn: func(m string) { warns = append(warns, m) }})
		if err != nil {
			t.Fatal(err)
		}
		if warned := len(warns) == 1 && strings.Contains(warns[0], "more than once"); warned != tc.warn {
			t.Errorf("%s: warnings %q, want one: %v", typed, warns, tc.warn)
		}
		var dk dupKeys
		back, err := solFromJSON(typed, &dk)
		if err != nil {
			t.Fatalf("reading back %s: %v", typed, err)
		}
		if dk.count != 1 {
			t.Errorf("%s read back noting %d keys given twice, want 1", typed, dk.count)
		}
		if got, err := amf.MarshalSOL(back); err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s -> %x (%v), want %x", typed, got, err, data)
		}
	}
}
