package convert

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A JSON escape of half a UTF-16 surrogate pair with no other half
// ("\ud800") was written as U+FFFD (EF BF BD) without a word, unlike
// bytes that are not UTF-8, which are refused (review2 F9). Strict in
// what we write: every JSON -> AMF path refuses it with its line and
// column (bare values streamed and through the value model, packets,
// .sol files, socket frames); a whole pair is the character it names.
func TestLoneSurrogateRefused(t *testing.T) {
	const msg = `the escape %s is half of a UTF-16 surrogate pair, without its other half: no UTF-8 string can hold it (write the character itself, or both halves) at line %d, column %d (offset %d)`
	want := func(esc string, line, col, off int) string { return "json: " + fmt.Sprintf(msg, esc, line, col, off) }
	for _, tc := range []struct {
		in, want string
	}{
		{`"\ud800"`, want(`\ud800`, 1, 2, 1)},
		{`["ok", "x\uDBFFy"]`, want(`\uDBFF`, 1, 10, 9)},
		{"[1,\n" + `{"a\udc00": 1}]`, want(`\udc00`, 2, 4, 7)},
		// A high half followed by an escape that is not a low half.
		{`"\ud83d\u0041"`, want(`\ud83d`, 1, 2, 1)},
		// A low half before a high one.
		{`"\ude00\ud83d"`, want(`\ude00`, 1, 2, 1)},
		// Typed JSON: through the value model.
		{`{"$class":"A","b":{"$date":0},"c":"\udfff"}`, want(`\udfff`, 1, 36, 35)},
	} {
		if _, err := FromJSON([]byte(tc.in)); fmt.Sprint(err) != tc.want {
			t.Errorf("FromJSON(%s): %v\nwant %s", tc.in, err, tc.want)
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			if got, err := AppendJSONAsAMF(nil, []byte(tc.in), ver); fmt.Sprint(err) != tc.want {
				t.Errorf("%s as %v: %x, %v\nwant %s", tc.in, ver, got, err, tc.want)
			}
		}
		frames, err := FramesFromJSON(nil, []byte(tc.in))
		if fmt.Sprint(err) != tc.want {
			t.Errorf("socket frames of %s: %x, %v\nwant %s", tc.in, frames, err, tc.want)
		}
	}
	// A packet and a .sol: the offset in the whole document.
	pkt := `{"version":3,"headers":[],"messages":[{"target":"a","response":"/1","value":["\ud800"]}]}`
	pktWant := want(`\ud800`, 1, 79, 78)
	if _, err := AppendPacketJSON(nil, []byte(pkt)); fmt.Sprint(err) != pktWant {
		t.Errorf("packet: %v\nwant %s", err, pktWant)
	}
	if _, err := PacketFromJSON([]byte(pkt)); fmt.Sprint(err) != pktWant {
		t.Errorf("packet, value model: %v\nwant %s", err, pktWant)
	}
	for _, ver := range []int{0, 3} {
		sol := fmt.Sprintf(`{"sol":"x","version":%d,"data":{"a":"\udbff"}}`, ver)
		solWant := want(`\udbff`, 1, 37, 36)
		if _, err := AppendSOLJSON(nil, []byte(sol)); fmt.Sprint(err) != solWant {
			t.Errorf("sol: %v\nwant %s", err, solWant)
		}
		if _, err := SOLFromJSON([]byte(sol)); fmt.Sprint(err) != solWant {
			t.Errorf("sol, value model: %v\nwant %s", err, solWant)
		}
	}

	// Whole pairs, in either case, and U+FFFD itself are written.
	for in, utf8 := range map[string]string{
		`"\ud83d\ude00"`: "\U0001F600", `"\uD83D\uDE00x"`: "\U0001F600x", `"\ufffd"`: "\uFFFD", `"\\ud800"`: `\ud800`,
	} {
		got, err := AppendJSONAsAMF(nil, []byte(in), amf.AMF3)
		want, _ := amf.Marshal(utf8, amf.AMF3)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %x, %v; want %x", in, got, err, want)
		}
		if v, err := FromJSON([]byte(in)); err != nil || v != utf8 {
			t.Errorf("FromJSON(%s): %q, %v; want %q", in, v, err, utf8)
		}
	}
}
