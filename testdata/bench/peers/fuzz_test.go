package peers

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// FuzzRefDecode: the reference decoder never panics and never runs out
// of memory, whatever the bytes (every length is checked against the bytes
// left before it allocates).
func FuzzRefDecode(f *testing.F) {
	for _, v := range []any{amftest.W1(3), amftest.W3(10), amftest.W4()} {
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			data, err := amf.Marshal(v, ver)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, ver == amf.AMF3)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, amf3 bool) {
		RefDecode(data, amf3)
	})
}
