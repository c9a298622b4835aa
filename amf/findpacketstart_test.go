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

// TestFindPacketStartEveryCut: each PyAMF capture after a PHP notice,
// cut at every length from six bytes, is found as a packet cut short at
// the notice's end, with UnmarshalPacket's error: never as a whole
// packet of its own bytes further on (cut just after six zero bytes, the
// AMF3 capture read as an empty packet there).
func TestFindPacketStartEveryCut(t *testing.T) {
	notice := []byte("Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\n")
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	m, _ := amf.DecOptions{}.DecMode()
	n := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(p) == "default-garbage.request.amf" {
			continue
		}
		for k := 6; k < len(data) && k < 2048; k++ {
			_, uerr := amf.UnmarshalPacket(data[:k])
			if uerr == nil {
				continue
			}
			n++
			in := append(bytes.Clone(notice), data[:k]...)
			i, cut, ok := m.FindPacketStart(in)
			if !ok || i != len(notice) || cut == nil || cut.Error() != uerr.Error() {
				t.Errorf("notice and %s cut at %d: %d %v %v; want a packet cut short at %d: %v", filepath.Base(p), k, i, cut, ok, len(notice), uerr)
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d cuts", n)
	}
}

// TestFindPacketStartCountInText: two bytes of text read as a header
// count that the bytes left cannot hold ("\x00\x00\x01" then the packet:
// 256 headers) are no packet cut short when a whole packet follows.
func TestFindPacketStartCountInText(t *testing.T) {
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := amf.DecOptions{}.DecMode()
	for _, text := range []string{"a\x00\x03\x00\x00b\x00\x00\x00\x01", "x\x00\x00\x01"} {
		in := append([]byte(text), reply...)
		j, _ := amf.FindPacket(in)
		if i, cut, ok := m.FindPacketStart(in); !ok || i != len(text) || cut != nil || j != i {
			t.Errorf("%q then a packet: %d %v %v; want a whole packet at %d (FindPacket %d)", text, i, cut, ok, len(text), j)
		}
		// Cut short, it is a packet cut short.
		cutIn := in[:len(in)-1]
		// (It is found at the count the text makes: a packet cut at its
		// message count has a packet cut short in its own bytes, after
		// the header, so a packet cut short further on does not win.)
		if i, cut, ok := m.FindPacketStart(cutIn); !ok || i > len(text) || !errors.Is(cut, io.ErrUnexpectedEOF) {
			t.Errorf("%q then a packet cut short: %d %v %v", text, i, cut, ok)
		}
	}
	// A count of text alone, nothing whole after it: a packet cut short.
	if i, cut, ok := m.FindPacketStart([]byte("x\x00\x03\x00\x00\x00\x01")); !ok || i != 1 || !errors.Is(cut, io.ErrUnexpectedEOF) {
		t.Errorf("00 03 00 00 00 01 after text: %d %v %v", i, cut, ok)
	}
}
