package amf

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestEnvelopeCountsAsDecoder (fuzz12): ReadPacketStart and
// ReadMessagesStart check a header or message count against the bytes
// left as UnmarshalPacket does, so that a Reader walking a packet fails
// where the decoder fails, held whole or streamed (issue 7). Before, the
// Reader returned the count and failed later, at another offset.
func TestEnvelopeCountsAsDecoder(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
	}{
		// 26465 headers in 5 bytes (FuzzEnvelopePathsAgree's first find).
		{"headers", []byte("\x00\x03gargage")},
		// No header, 12336 messages in 3 bytes.
		{"messages", []byte("\x00\x03\x00\x00\x30\x30abc")},
	} {
		_, want := UnmarshalPacket(c.data)
		if want == nil {
			t.Fatalf("%s: UnmarshalPacket reads %x", c.name, c.data)
		}
		for _, r := range []*Reader{NewReader(c.data, AMF0), NewStreamReader(iotest.OneByteReader(bytes.NewReader(c.data)), AMF0)} {
			err := walkPacket(r)
			var se, we *SyntaxError
			if !errors.As(err, &se) || !errors.As(want, &we) || se.Offset != we.Offset || se.Err.Error() != we.Err.Error() {
				t.Errorf("%s: the Reader fails with %v; UnmarshalPacket with %v", c.name, err, want)
			}
		}
	}
}

func walkPacket(r *Reader) error {
	_, nh, err := r.ReadPacketStart()
	if err != nil {
		return err
	}
	for i := 0; i < nh; i++ {
		if _, _, _, err := r.ReadHeaderStart(); err != nil {
			return err
		}
		if _, err := r.ReadValue(); err != nil {
			return err
		}
	}
	nm, err := r.ReadMessagesStart()
	if err != nil {
		return err
	}
	for i := 0; i < nm; i++ {
		if _, _, _, err := r.ReadMessageStart(); err != nil {
			return err
		}
		if _, err := r.ReadValue(); err != nil {
			return err
		}
	}
	return nil
}

// TestSOLNameOwesAValue (fuzz12): a .sol file that ends right after a
// member's name is cut short, as UnmarshalSOL says, at the end of the
// file: the value after ReadSOLName is owed, as after ReadHeaderStart.
// Before, ReadValue returned io.EOF there, as between bare values.
func TestSOLNameOwesAValue(t *testing.T) {
	for _, ver := range []Version{AMF0, AMF3} {
		name := []byte{0, 1, 'm'}
		if ver == AMF3 {
			name = []byte{0x03, 'm'}
		}
		body := append([]byte("TCSO\x00\x04\x00\x00\x00\x00\x00\x01s\x00\x00\x00"), byte(ver))
		body = append(body, name...)
		data := append([]byte{0x00, 0xBF, 0, 0, 0, byte(len(body))}, body...)
		_, want := UnmarshalSOL(data)
		var we *SyntaxError
		if !errors.As(want, &we) || !errors.Is(want, io.ErrUnexpectedEOF) || we.Offset != int64(len(data)) {
			t.Fatalf("%v: UnmarshalSOL says %v", ver, want)
		}
		r := NewReader(data, AMF0)
		if _, _, err := r.ReadSOLStart(); err != nil {
			t.Fatal(err)
		}
		if _, err := r.ReadSOLName(); err != nil {
			t.Fatal(err)
		}
		_, err := r.ReadValue()
		var se *SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, io.ErrUnexpectedEOF) || se.Offset != we.Offset || se.Version != we.Version {
			t.Errorf("%v: ReadValue after the last name says %v; UnmarshalSOL %v", ver, err, want)
		}
	}
}
