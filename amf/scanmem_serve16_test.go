package amf_test

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// echoPacket wraps the AMF3 value v (after its switch) as the one
// argument of a version 3 echo.echo request.
func echoPacket3(v []byte) []byte {
	var p bytes.Buffer
	p.Write([]byte{0, 3, 0, 0, 0, 1})
	for _, s := range []string{"echo.echo", "/1"} {
		binary.Write(&p, binary.BigEndian, uint16(len(s)))
		p.WriteString(s)
	}
	binary.Write(&p, binary.BigEndian, uint32(len(v)+6))
	p.Write([]byte{0x0a, 0, 0, 0, 1, 0x11})
	p.Write(v)
	return p.Bytes()
}

func wu29(b *bytes.Buffer, n int) {
	switch {
	case n < 0x80:
		b.WriteByte(byte(n))
	case n < 0x4000:
		b.WriteByte(byte(n>>7) | 0x80)
		b.WriteByte(byte(n & 0x7f))
	case n < 0x200000:
		b.WriteByte(byte(n>>14) | 0x80)
		b.WriteByte(byte(n>>7) | 0x80)
		b.WriteByte(byte(n & 0x7f))
	default:
		b.WriteByte(byte(n>>22) | 0x80)
		b.WriteByte(byte(n>>15) | 0x80)
		b.WriteByte(byte(n>>8) | 0x80)
		b.WriteByte(byte(n))
	}
}

func wstr3(b *bytes.Buffer, s string) {
	wu29(b, len(s)<<1|1)
	b.WriteString(s)
}

// scanShapes are request bodies of about size bytes in the shapes that
// cost a scan most per byte, and an ordinary one.
func scanShapes(size int) []struct {
	name string
	data []byte
} {
	array := func(n int, item func(b *bytes.Buffer, i int)) []byte {
		var b bytes.Buffer
		b.WriteByte(0x09)
		wu29(&b, n<<1|1)
		b.WriteByte(0x01)
		for i := range n {
			item(&b, i)
		}
		return b.Bytes()
	}
	// Objects of inline traits: a class name of its own each, no
	// members (0a 03 <name>).
	traits := array(size/6, func(b *bytes.Buffer, i int) {
		b.WriteString("\x0a\x03")
		wstr3(b, strconv.FormatInt(int64(i), 36))
	})
	// Inline traits of one sealed member each, distinct names.
	sealed := array(size/10, func(b *bytes.Buffer, i int) {
		b.WriteString("\x0a\x13")
		wstr3(b, "c"+strconv.FormatInt(int64(i), 36))
		wstr3(b, "m"+strconv.FormatInt(int64(i), 36))
		b.WriteByte(0x01)
	})
	strs := array(size/5, func(b *bytes.Buffer, i int) {
		b.WriteByte(0x06)
		wstr3(b, strconv.FormatInt(int64(i), 36))
	})
	// Nested arrays as deep as the default limit allows, over and over.
	deep := array(size/(2*60+1), func(b *bytes.Buffer, i int) {
		for range 60 {
			b.WriteString("\x09\x03\x01")
		}
		b.WriteByte(0x01)
	})
	// An ordinary request: objects of one traits, a few members.
	var o bytes.Buffer
	o.WriteByte(0x09)
	n := size / 40
	wu29(&o, n<<1|1)
	o.WriteByte(0x01)
	for i := range n {
		if i == 0 {
			o.WriteString("\x0a\x33")
			wstr3(&o, "a.Item")
			wstr3(&o, "id")
			wstr3(&o, "name")
			wstr3(&o, "price")
		} else {
			o.WriteString("\x0a\x01")
		}
		o.WriteByte(0x04)
		wu29(&o, i&0xfffff)
		o.WriteByte(0x06)
		wstr3(&o, "item "+strconv.Itoa(i))
		o.WriteByte(0x05)
		o.Write([]byte{0x40, 0x59, 0, 0, 0, 0, 0, 0})
	}
	return []struct {
		name string
		data []byte
	}{
		{"traits", echoPacket3(traits)},
		{"sealed", echoPacket3(sealed)},
		{"strings", echoPacket3(strs)},
		{"deep", echoPacket3(deep)},
		{"ordinary", echoPacket3(o.Bytes())},
	}
}

func BenchmarkScanPacketShapes(b *testing.B) {
	for _, size := range []int{4 << 10, 256 << 10} {
		for _, s := range scanShapes(size) {
			b.Run(s.name+"/"+strconv.Itoa(size>>10)+"K", func(b *testing.B) {
				if _, _, _, ok := amf.ScanPacket(s.data); !ok {
					b.Fatal("not scanned")
				}
				b.SetBytes(int64(len(s.data)))
				b.ReportAllocs()
				for b.Loop() {
					amf.ScanPacket(s.data)
				}
			})
		}
	}
}
