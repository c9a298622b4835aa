package amf

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReaderEnvelopeOwesValue: after ReadHeaderStart or ReadMessageStart
// a value must follow, so input that ends there is cut short: every way
// of reading the next value (ReadValue, ReadToken, Skip), over bytes and
// over a stream, fails with a *SyntaxError wrapping io.ErrUnexpectedEOF
// at the end of the input. Before, it was io.EOF, the clean end of a run
// of values, which a caller reading until io.EOF takes for success
// (found by FuzzErrorsSayWhere). The value read, the end is io.EOF again.
func TestReaderEnvelopeOwesValue(t *testing.T) {
	header := mustHex(`00 00  00 01  00 01 "h" 00 00 00 00 00`)                // one header, no value
	message := mustHex(`00 00  00 00  00 01  00 01 "a" 00 01 "b" 00 00 00 00`) // one message, no value
	read := map[string]func(r *Reader) error{
		"ReadValue": func(r *Reader) error { _, err := r.ReadValue(); return err },
		"ReadToken": func(r *Reader) error { _, err := r.ReadToken(); return err },
		"Skip":      func(r *Reader) error { return r.Skip() },
	}
	envelope := func(r *Reader, data []byte) error {
		_, hc, err := r.ReadPacketStart()
		if err != nil {
			return err
		}
		if hc == 1 {
			_, _, _, err = r.ReadHeaderStart()
			return err
		}
		if _, err = r.ReadMessagesStart(); err != nil {
			return err
		}
		_, _, _, err = r.ReadMessageStart()
		return err
	}
	for _, data := range [][]byte{header, message} {
		for name, f := range read {
			for _, stream := range []bool{false, true} {
				r := NewReader(data, AMF0)
				if stream {
					r = NewStreamReader(iotest.HalfReader(bytes.NewReader(data)), AMF0)
				}
				if err := envelope(r, data); err != nil {
					t.Fatalf("%x: envelope: %v", data, err)
				}
				err := f(r)
				var se *SyntaxError
				if !errors.As(err, &se) || !errors.Is(err, io.ErrUnexpectedEOF) || se.Offset != int64(len(data)) {
					t.Errorf("%x, stream %v: %s at the end = %v, want unexpected EOF at offset %d", data, stream, name, err, len(data))
				}
			}
		}
	}
	// With the value there, the next read after it is the clean end.
	whole := append(append([]byte(nil), message...), 0x05)
	r := NewReader(whole, AMF0)
	if err := envelope(r, whole); err != nil {
		t.Fatal(err)
	}
	if v, err := r.ReadValue(); err != nil || v != nil {
		t.Fatalf("the message's null: %v, %v", v, err)
	}
	if _, err := r.ReadValue(); err != io.EOF {
		t.Errorf("after the message's value: %v, want io.EOF", err)
	}
}
