package convert

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzFLVFromJSON: FLVFromJSON never panics, and what it writes reads
// back as an FLV with as many script tags.
func FuzzFLVFromJSON(f *testing.F) {
	f.Add([]byte(`{"flv":[{"tag":0,"timestamp":0,"name":"onMetaData","value":{"duration":12.5}},{"timestamp":1500,"name":"c","value":null,"extra":[1,"x"]}]}`))
	f.Add([]byte(`{"flv":[]}`))
	f.Add([]byte(`{"flv":[{"name":"a","timestamp":4294967295}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		out, err := FLVFromJSON(data)
		if err != nil {
			return
		}
		tags, err := ReadFLV(out)
		if err != nil {
			t.Fatalf("FLVFromJSON(%q) wrote an FLV that does not read: %v", data, err)
		}
		v, _ := FromJSON(data)
		list, _ := v.(*amf.Object).Get("flv")
		if n := len(list.(*amf.Array).Dense); len(tags) != n {
			t.Fatalf("FLVFromJSON(%q): %d tags read back, want %d", data, len(tags), n)
		}
	})
}
