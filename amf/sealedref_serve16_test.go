package amf_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestLongNameByReference: a traits name given by a 1-byte reference to
// a long string is not copied for each reference. A traits of 20,000
// sealed names, each a reference to a 64 KB string, made 1.3 GB of
// strings from 105 KB of input (the scan, the decoder and any token
// Reader alike); as many inline traits each naming that string their
// class, as much.
func TestLongNameByReference(t *testing.T) {
	long := strings.Repeat("x", 64<<10)
	const n = 20000
	var sealed, classes bytes.Buffer
	for _, v := range []*bytes.Buffer{&sealed, &classes} {
		v.WriteString("\x09")
		if v == &sealed {
			wu29(v, 2<<1|1)
		} else {
			wu29(v, (n+1)<<1|1)
		}
		v.WriteString("\x01\x06")
		wu29(v, len(long)<<1|1)
		v.WriteString(long)
	}
	// One object: n sealed names, all string 0, each value null.
	sealed.WriteByte(0x0a)
	wu29(&sealed, n<<4|3)
	sealed.WriteByte(0x01) // class ""
	sealed.Write(make([]byte, n))
	sealed.Write(bytes.Repeat([]byte{0x01}, n))
	// n objects of inline traits, each class string 0, no members.
	classes.Write(bytes.Repeat([]byte{0x0a, 0x03, 0x00}, n))
	for _, c := range []struct {
		name string
		v    []byte
	}{{"sealed", sealed.Bytes()}, {"classes", classes.Bytes()}} {
		data := echoPacket3(c.v)
		limit := float64(128 * len(data))
		if got := allocBytes(func() {
			if _, _, _, ok := amf.ScanPacket(data); !ok {
				t.Fatalf("%s: not scanned", c.name)
			}
		}); got > limit {
			t.Errorf("%s: ScanPacket of %d bytes allocated %.0f bytes", c.name, len(data), got)
		}
		if got := allocBytes(func() {
			if _, err := amf.UnmarshalPacket(data); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}); got > limit {
			t.Errorf("%s: UnmarshalPacket of %d bytes allocated %.0f bytes", c.name, len(data), got)
		}
	}
}

// allocBytes is how many bytes f allocates.
func allocBytes(f func()) float64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return float64(b.TotalAlloc - a.TotalAlloc)
}
