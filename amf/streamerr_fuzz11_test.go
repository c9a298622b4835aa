package amf

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

// TestStreamReaderErrorsAsHeld (fuzz11): a Reader over a stream fails
// as the value decoder does on the same bytes. A count whose elements
// need more bytes than the input holds failed at the count held whole,
// but read from a stream failed at whatever the cut left at the next
// element (a bad marker here); and a streamed AMF0 long string cut short
// failed as "amf3". Found by FuzzPathsAgree (convert).
func TestStreamReaderErrorsAsHeld(t *testing.T) {
	for _, tc := range []struct {
		hex string
		ver Version
		// what both paths say, when exactly the same ("": the same
		// but for the offset and reason of a short input, streamErrText)
		want string
	}{
		// An AMF3 array of 24 dense items, with one byte (a bad marker)
		// left: the count fails first.
		{"09310130", AMF3, "amf3: count 24 needs at least 24 bytes but 1 remain: unexpected EOF at offset 1"},
		// The same inside an object's member.
		{"0a0b010361093101300001", AMF3, ""},
		// An AMF0 strict array of 2 with one element: the count fails.
		{"0a00000002 00", AMF0, ""},
		// An AMF0 long string longer than a stream Reader holds, cut.
		{"0c00200000" + "41414141", AMF0, ""},
		// Counts that need more than a stream Reader reads ahead
		// (countAhead): 3158064 AMF0 elements and a reference, 163096
		// AMF3 vector ints and a bad marker (FuzzReaderAMF0, FuzzReaderAMF3).
		{"0a00303030073030", AMF0, "amf0: count 3158064 needs at least 3158064 bytes but 3 remain: unexpected EOF at offset 1"},
		{"1193f4313030", AMF3, "amf3: count 163096 needs at least 326192 bytes but 1 remain: unexpected EOF at offset 1"},
		// Such a count inside an object member, then cut.
		{"0a0b010361" + "0a0b010362" + "09" + "85808001" + "01" + "0101", AMF3,
			"amf3: count 10485760 needs at least 10485760 bytes but 2 remain: unexpected EOF within \"/a/b\" at offset 11"},
		// A count of 70000 that the input holds, and a bad marker in
		// it: the marker's error.
		{"09" + "88c561" + "01" + "0101010130" + strings.Repeat("01", 70000), AMF3,
			"amf3: unknown or invalid marker 0x30 within \"/4\" at offset 9"},
	} {
		data := mustHex(tc.hex)
		_, werr := UnmarshalAll(data, tc.ver)
		if werr == nil {
			t.Fatalf("%s: decodes", tc.hex)
		}
		if tc.want != "" && werr.Error() != tc.want {
			t.Errorf("%s: UnmarshalAll: %v, want %s", tc.hex, werr, tc.want)
		}
		for _, r := range []*Reader{
			NewStreamReader(bytes.NewReader(data), tc.ver),
			NewStreamReader(iotest.OneByteReader(bytes.NewReader(data)), tc.ver),
		} {
			r.StreamOver = 16
			_, serr := buildAll(r)
			if serr == nil || streamErrText(serr) != streamErrText(werr) || tc.want != "" && serr.Error() != tc.want {
				t.Errorf("%s: stream Reader: %v; UnmarshalAll: %v", tc.hex, serr, werr)
			}
		}
	}
}
