package amf

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

// TestStreamReaderErrorsAsHeld (fuzz11): a Reader over a stream fails
// as the value decoder does on the same bytes, with the same offset and
// path. A count or length that needs more bytes than the input holds
// fails at the count held whole, but read from a stream failed later:
// at whatever the cut left at the next element (a bad marker), at a
// check made after the length (the reference limit), or where the input
// ended; and a streamed AMF0 long string cut short failed as "amf3".
// Found by FuzzPathsAgree (convert) and FuzzReaderAMF0/AMF3.
func TestStreamReaderErrorsAsHeld(t *testing.T) {
	for _, tc := range []struct {
		hex string
		ver Version
		// what both paths say ("": not pinned here)
		want  string
		tight bool // with tightDecMode's limits
	}{
		// An AMF3 array of 24 dense items, with one byte (a bad marker)
		// left: the count fails first.
		{"09310130", AMF3, "amf3: count 24 needs at least 24 bytes but 1 remain: unexpected EOF at offset 1", false},
		// The same inside an object's member.
		{"0a0b010361093101300001", AMF3, "", false},
		// An AMF0 strict array of 2 with one element: the count fails.
		{"0a00000002 00", AMF0, "", false},
		// An AMF0 long string longer than a stream Reader holds, cut.
		{"0c00200000" + "41414141", AMF0, "amf0: length 2097152 exceeds the 4 bytes left: unexpected EOF at offset 1", false},
		// A string cut short with the string table full (tight: 16
		// entries): held, the length fails; a stream failed at the limit.
		{"090501" + "091f01" + "060330060331060332060333060334060335060336060337060338060339060361060362060363060364060365" + "090501" + "060366" + "063141", AMF3,
			"", true},
		// Counts that need more than a stream Reader reads ahead
		// (countAhead): 3158064 AMF0 elements and a reference, 163096
		// AMF3 vector ints and a bad marker (FuzzReaderAMF0, FuzzReaderAMF3).
		{"0a00303030073030", AMF0, "amf0: count 3158064 needs at least 3158064 bytes but 3 remain: unexpected EOF at offset 1", false},
		{"1193f4313030", AMF3, "amf3: count 163096 needs at least 326192 bytes but 1 remain: unexpected EOF at offset 1", false},
		// Such a count inside an object member, then cut.
		{"0a0b010361" + "0a0b010362" + "09" + "85808001" + "01" + "0101", AMF3,
			"amf3: count 10485760 needs at least 10485760 bytes but 2 remain: unexpected EOF within \"/a/b\" at offset 11", false},
		// A count of 70000 that the input holds, and a bad marker in
		// it: the marker's error.
		{"09" + "88c561" + "01" + "0101010130" + strings.Repeat("01", 70000), AMF3,
			"amf3: unknown or invalid marker 0x30 within \"/4\" at offset 9", false},
	} {
		data := mustHex(tc.hex)
		m := defaultDecMode
		if tc.tight {
			m = tightDecMode
		}
		_, werr := m.UnmarshalAll(data, tc.ver)
		if werr == nil {
			t.Fatalf("%s: decodes", tc.hex)
		}
		if tc.want != "" && werr.Error() != tc.want {
			t.Errorf("%s: UnmarshalAll: %v, want %s", tc.hex, werr, tc.want)
		}
		for _, r := range []*Reader{
			m.NewStreamReader(bytes.NewReader(data), tc.ver),
			m.NewStreamReader(iotest.OneByteReader(bytes.NewReader(data)), tc.ver),
		} {
			r.StreamOver = 16
			_, serr := buildAll(r)
			if serr == nil || serr.Error() != werr.Error() {
				t.Errorf("%s: stream Reader: %v; UnmarshalAll: %v", tc.hex, serr, werr)
			}
		}
	}
}
