package convert

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestIsFramesFirstObject: a capture cut short counts as frames when its
// first frame's value is an object (plain, typed, a Flex wrapper, a
// small message's traits: amf.Object, as the value decoder made it),
// not another value; the first frame is read whole as any other.
func TestIsFramesFirstObject(t *testing.T) {
	cut := []byte{0, 0, 0, 9, 0x0a}
	ac := []byte{0x0a, 0x07}
	ac = amf.AppendU29(ac, uint32(len(amf.ClassArrayCollection))<<1|1)
	ac = append(append(ac, amf.ClassArrayCollection...), 0x09, 0x01, 0x01)
	for _, tc := range []struct {
		name  string
		first []byte
		want  bool
	}{
		{"anonymous object", []byte{0x0a, 0x0b, 0x01, 0x01}, true},
		{"typed object", sealedC("n"), true},
		{"ArrayCollection", ac, true},
		{"array", []byte{0x09, 0x01, 0x01}, false},
		{"string", []byte{0x06, 0x03, 'a'}, false},
		{"object reference", []byte{0x0a, 0x00}, false},
		{"object cut", []byte{0x0a, 0x0b, 0x01}, false},
		{"object and a byte", []byte{0x0a, 0x0b, 0x01, 0x01, 0x01}, false},
	} {
		in := append(frames(tc.first), cut...)
		if got := IsFrames(in); got != tc.want {
			t.Errorf("%s: IsFrames(%x) = %v, want %v", tc.name, in, got, tc.want)
		}
		// Whole, any value that reads counts.
		whole := frames(tc.first, []byte{0x01})
		v, trailing, err := amf.DecodeFrame(tc.first)
		want := err == nil && trailing == 0
		if got := IsFrames(whole); got != want {
			t.Errorf("%s: IsFrames(%x) = %v, want %v (%T, %d, %v)", tc.name, whole, got, want, v, trailing, err)
		}
	}
}
