package amf_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestPacketCutShort: every prefix (of six bytes or more) of every
// captured packet that does not decode whole is a packet cut short, with
// UnmarshalPacket's error; the whole packets, bare values and a version
// followed by text ("garbage", whose header count is thousands) are not.
func TestPacketCutShort(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	vectors, _ := filepath.Glob("../testdata/pyamf/vectors/*.amf[03]")
	if len(paths) < 20 || len(vectors) < 50 {
		t.Fatalf("only %d captures and %d vectors", len(paths), len(vectors))
	}
	cuts := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(p) == "default-garbage.request.amf" {
			if err := amf.PacketCutShort(data); err != nil {
				t.Errorf("%s: 00 03 then text is a packet cut short: %v", p, err)
			}
			continue
		}
		if err := amf.PacketCutShort(data); err != nil {
			t.Errorf("%s: a whole packet is cut short: %v", p, err)
		}
		for k := 6; k < len(data) && k < 4096; k++ {
			_, uerr := amf.UnmarshalPacket(data[:k])
			if uerr == nil {
				continue // it ends where a whole packet does
			}
			cuts++
			err := amf.PacketCutShort(data[:k])
			if err == nil {
				t.Errorf("%s cut at %d: not a packet cut short (%v)", filepath.Base(p), k, uerr)
				continue
			}
			if !errors.Is(err, io.ErrUnexpectedEOF) || err.Error() != uerr.Error() {
				t.Errorf("%s cut at %d: %v; UnmarshalPacket says %v", filepath.Base(p), k, err, uerr)
			}
		}
	}
	for _, p := range vectors {
		data, _ := os.ReadFile(p)
		if err := amf.PacketCutShort(data); err != nil {
			t.Errorf("%s, bare values: a packet cut short: %v", p, err)
		}
	}
	// The reviewer's bytes: version 3, no header, one message, then two
	// bytes; and a header count that only text makes.
	if err := amf.PacketCutShort([]byte("\x00\x03\x00\x00\x00\x01\xff\xff")); err == nil {
		t.Error("00 03 00 00 00 01 ff ff: not a packet cut short")
	}
	for _, in := range []string{"\x00\x03garbage", "\x00\x00\x00\x00\x04\x01ab", "\x00\x03\x00\x00", "\x00\x02\x00\x00\x00\x01\xff\xff"} {
		if err := amf.PacketCutShort([]byte(in)); err != nil {
			t.Errorf("%q: a packet cut short: %v", in, err)
		}
	}
	t.Logf("%d cuts", cuts)
}

// TestFindPacketStart: after a PHP notice, a whole packet is found where
// FindPacket finds it (building nothing), and a packet cut short at any
// offset is found too, with its error; text alone, or a version then
// text, is no packet.
func TestFindPacketStart(t *testing.T) {
	notice := []byte("Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\n")
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	m, _ := amf.DecOptions{}.DecMode()
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		if filepath.Base(p) == "default-garbage.request.amf" {
			in := append(bytes.Clone(notice), data...)
			if i, cut, ok := m.FindPacketStart(in); ok {
				t.Errorf("notice and %s: a packet at %d (%v)", p, i, cut)
			}
			continue
		}
		in := append(bytes.Clone(notice), data...)
		i, cut, ok := m.FindPacketStart(in)
		if j, _ := amf.FindPacket(in); !ok || i != len(notice) || cut != nil || j != i {
			t.Errorf("notice and %s: %d %v %v; want %d (FindPacket %d)", filepath.Base(p), i, cut, ok, len(notice), j)
		}
		for _, k := range []int{6, 7, 9, 12, len(data) / 3, len(data) / 2, len(data) - 1} {
			// (FindPacket finds an empty packet in the last six bytes
			// of two of these cut one byte short, when they are zeros.)
			in := append(bytes.Clone(notice), data[:k]...)
			i, cut, ok := m.FindPacketStart(in)
			if !ok || i != len(notice) || !errors.Is(cut, io.ErrUnexpectedEOF) {
				t.Errorf("notice and %s cut at %d: %d %v %v; want a packet cut short at %d", filepath.Base(p), k, i, cut, ok, len(notice))
			}
		}
	}
	for _, in := range []string{"Notice: nothing", "Notice: \x00\x03garbage", ""} {
		if i, cut, ok := m.FindPacketStart([]byte(in)); ok {
			t.Errorf("%q: a packet at %d (%v)", in, i, cut)
		}
	}
}

// FuzzFindPacketStart holds FindPacketStart to UnmarshalPacket: a whole
// packet it finds decodes, and one cut short fails with the error it
// gives, which is one of bytes missing.
func FuzzFindPacketStart(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4096 {
			f.Add(b)
			f.Add(append([]byte("Notice: x\n"), b[:len(b)*2/3]...))
		}
	}
	m, _ := amf.DecOptions{}.DecMode()
	f.Fuzz(func(t *testing.T, b []byte) {
		i, cut, ok := m.FindPacketStart(b)
		if !ok {
			return
		}
		_, err := amf.UnmarshalPacket(b[i:])
		switch {
		case cut == nil && err != nil:
			t.Fatalf("a whole packet at %d: UnmarshalPacket says %v", i, err)
		case cut != nil && (err == nil || err.Error() != cut.Error() || !errors.Is(cut, io.ErrUnexpectedEOF)):
			t.Fatalf("a packet cut short at %d (%v): UnmarshalPacket says %v", i, cut, err)
		}
	})
}
