package convert

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// bigPacket is a version-3 packet with a header and two messages whose
// JSON is some hundreds of KB: WritePacket flushes it in several pieces.
func bigPacket() *amf.Packet {
	return &amf.Packet{Version: 3,
		Headers: []amf.Header{{Name: "Credentials", MustUnderstand: true, Value: amf.AVMPlus{Value: records(50)}}},
		Messages: []amf.Message{
			{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: records(4000)}},
			{Target: "/2/onStatus", Response: "null", Value: records(300)},
		}}
}

// TestWritePacketSameAsAppend: WritePacket writes AppendPacket's bytes
// and a newline, with the same warnings, in every form: for a large
// packet (in more than one write) and for every packet of the PyAMF
// captures.
func TestWritePacketSameAsAppend(t *testing.T) {
	packets := map[string]*amf.Packet{"big": bigPacket()}
	names, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if p, err := amf.UnmarshalPacket(data); err == nil {
			packets[filepath.Base(name)] = p
		}
	}
	if len(packets) < 20 {
		t.Fatalf("only %d packets", len(packets))
	}
	for name, p := range packets {
		for _, o := range []Options{
			{}, {Typed: true}, {Indent: "  "}, {Typed: true, Indent: "  ", Palette: DefaultPalette}, {Palette: DefaultPalette},
		} {
			var wantWarn, gotWarn []string
			o.Warn = func(m string) { wantWarn = append(wantWarn, m) }
			want, err := AppendPacket(nil, p, &o)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			o.Warn = func(m string) { gotWarn = append(gotWarn, m) }
			var w chunkWriter
			if err := WritePacket(&w, p, &o); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(w.buf.Bytes(), append(want, '\n')) {
				t.Fatalf("%s %+v: WritePacket differs from AppendPacket (%d bytes against %d)", name, o, w.buf.Len(), len(want)+1)
			}
			if strings.Join(gotWarn, "\n") != strings.Join(wantWarn, "\n") {
				t.Fatalf("%s: warnings %q, want %q", name, gotWarn, wantWarn)
			}
			if name == "big" && w.writes < 3 {
				t.Fatalf("%+v: %d bytes in %d writes: not streamed", o, w.buf.Len(), w.writes)
			}
		}
	}
}

// TestWritePacketLimitExact: past MaxOutput, exactly MaxOutput bytes are
// written, then the limit error of the form; the same with the limit in
// the envelope, and at the newline.
func TestWritePacketLimitExact(t *testing.T) {
	p := bigPacket()
	checkLimitExact(t, []int64{5, 100, 300000},
		func(o *Options) ([]byte, error) { return AppendPacket(nil, p, o) },
		func(w io.Writer, o *Options) error { return WritePacket(w, p, o) })
}

// TestWritePacketWriteError: out's error is returned as it is, at the
// start or in the middle of the output.
func TestWritePacketWriteError(t *testing.T) {
	for _, n := range []int{0, 100 << 10} {
		err := WritePacket(&failWriter{n: n}, bigPacket(), &Options{})
		if err == nil || err.Error() != "disk full" {
			t.Fatalf("after %d bytes: err %v, want out's", n, err)
		}
	}
}

// TestWritePacketBombBoundedMemory: a reply packet whose message names
// one 1 MB string 2,000 times is 2 GB of JSON. Under a 200 MB limit it
// fails after writing exactly 200 MB, and allocates a few MB, not the
// output (AppendPacket holds it all).
func TestWritePacketBombBoundedMemory(t *testing.T) {
	s := strings.Repeat("A", 1<<20)
	dense := make([]any, 2000)
	for i := range dense {
		dense[i] = s
	}
	p := &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: &amf.Array{Dense: dense}}}}}
	checkBombNotHeld(t, func(w io.Writer, o *Options) error { return WritePacket(w, p, o) })
}
