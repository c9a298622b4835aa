package amf

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReaderEnvelopeCounts (fuzz13): a header or message count that the
// bytes left cannot hold (8 bytes a header, 9 a message) fails at
// ReadPacketStart or ReadMessagesStart with UnmarshalPacket's error,
// held whole and as a stream: before, a packet claiming 26,465 headers
// in 5 bytes failed only later, at another offset and for another cause
// (a header name cut short at offset 4). UncheckedCounts leaves the
// count to the caller, which reads the parts before a cut.
func TestReaderEnvelopeCounts(t *testing.T) {
	for _, tc := range []struct{ name, hex string }{
		{"26,465 headers in 5 bytes", "00 00 67 61 00"},
		{"header count beyond the input", "00 00 00 05"},
		{"2 headers in 15 bytes", `00 00 00 02 00 01 "h" 00 00 00 00 00 05 00 00`},
		{"message count beyond the input", "00 00 00 00 FF FF 00"},
		{"3 messages in 26 bytes", `00 03 00 00 00 03 00 01 "a" 00 01 "b" 00 00 00 00 05 00 00 00 00 00 00 00 00 05 00 00`},
		{"a stream's count past what it reads ahead", "00 00 FF FF" + " 00 00 00 00 00 00 00 00"},
	} {
		data := mustHex(tc.hex)
		_, want := UnmarshalPacket(data)
		var se *SyntaxError
		if !errors.As(want, &se) || !errors.Is(want, io.ErrUnexpectedEOF) {
			t.Fatalf("%s: UnmarshalPacket: %v, want a count error", tc.name, want)
		}
		for _, stream := range []bool{false, true} {
			r := NewReader(data, AMF0)
			if stream {
				r = NewStreamReader(iotest.OneByteReader(bytes.NewReader(data)), AMF0)
			}
			if err := readEnvelope(r); err == nil || err.Error() != want.Error() {
				t.Errorf("%s, stream %v: the Reader fails with %v; UnmarshalPacket with %v", tc.name, stream, err, want)
			}
		}
	}
}

// readEnvelope reads a packet with the Reader's envelope calls and
// ReadValue, as a caller of the Reader does.
func readEnvelope(r *Reader) error {
	_, hc, err := r.ReadPacketStart()
	if err != nil {
		return err
	}
	for range hc {
		if _, _, _, err := r.ReadHeaderStart(); err != nil {
			return err
		}
		if _, err := r.ReadValue(); err != nil {
			return err
		}
	}
	mc, err := r.ReadMessagesStart()
	if err != nil {
		return err
	}
	for range mc {
		if _, _, _, err := r.ReadMessageStart(); err != nil {
			return err
		}
		if _, err := r.ReadValue(); err != nil {
			return err
		}
	}
	return nil
}

// TestReaderUncheckedCounts: with UncheckedCounts, the messages before
// the cut of a packet that counts more than its bytes can hold are read,
// and the read past the cut fails there.
func TestReaderUncheckedCounts(t *testing.T) {
	p := &Packet{Version: 3}
	for range 20 {
		p.Messages = append(p.Messages, Message{Target: "/1/onResult", Response: "null", Value: 1.0})
	}
	whole, err := MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	cut := whole[:110] // three messages of 32 bytes and a bit: 104 bytes left for 180
	if _, err := UnmarshalPacket(cut); err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("UnmarshalPacket of the cut packet: %v", err)
	}
	r := NewReader(cut, AMF0)
	if _, err := readEnvelopeN(r); err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("the Reader: %v, want the count error", err)
	}
	r = NewReader(cut, AMF0)
	r.UncheckedCounts = true
	n, err := readEnvelopeN(r)
	var se *SyntaxError
	if n != 3 || !errors.As(err, &se) || se.Offset != 102 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("with UncheckedCounts: %d messages read, then %v; want 3, then the fourth's target cut short (offset 102)", n, err)
	}
	r.Reset(cut, AMF0)
	if r.UncheckedCounts {
		t.Error("Reset keeps UncheckedCounts")
	}
}

// readEnvelopeN is readEnvelope counting the messages read.
func readEnvelopeN(r *Reader) (int, error) {
	if _, _, err := r.ReadPacketStart(); err != nil {
		return 0, err
	}
	mc, err := r.ReadMessagesStart()
	if err != nil {
		return 0, err
	}
	for i := range mc {
		if _, _, _, err := r.ReadMessageStart(); err != nil {
			return i, err
		}
		if _, err := r.ReadValue(); err != nil {
			return i, err
		}
	}
	return mc, nil
}
