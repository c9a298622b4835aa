package amf

import (
	"errors"
	"io"
	"testing"
)

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
