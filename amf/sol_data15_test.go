package amf

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// TestSOLHeaderCutShort: a .sol file cut inside its 16-byte header was
// "not a .sol file ... at offset 0", which sent the user looking for
// another kind of file; it is a .sol cut short, at the offset where the
// input ends, for the value decoder, the token Reader and the dump alike.
func TestSOLHeaderCutShort(t *testing.T) {
	sol, err := MarshalSOL(&SOL{Name: "prefs", Version: AMF3, Members: []Member{{"a", Int(1)}}})
	if err != nil {
		t.Fatal(err)
	}
	for n := 2; n < 16; n++ {
		in := sol[:n]
		want := "a .sol file cut short: its header takes 16 bytes"
		check := func(who string, err error) {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset != int64(n) || !strings.Contains(err.Error(), want) || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("%d bytes, %s: %v; want %q at offset %d", n, who, err, want, n)
			}
		}
		_, err := UnmarshalSOL(in)
		check("UnmarshalSOL", err)
		_, _, err = NewReader(in, AMF0).ReadSOLStart()
		check("ReadSOLStart", err)
		check("Dump", NewDump(in, DumpSOL).Err)
		if got := LooksLikeSOL(in); got != (n >= 7 && n != 9) {
			t.Errorf("%d bytes: LooksLikeSOL %v", n, got)
		}
	}
	// Bytes that are not a header's start keep their error.
	for _, in := range []string{"\x00\xbf\x00\x00\x00\x04ABCD", "\x00\xbf\x00\x00\x00\x04TX", "\x00\xbe\x00"} {
		if _, err := UnmarshalSOL([]byte(in)); err == nil || !strings.Contains(err.Error(), "not a .sol file") {
			t.Errorf("%q: %v, want not a .sol file", in, err)
		}
	}
	// An AMF0 number that starts 00 BF is no .sol.
	if LooksLikeSOL([]byte("\x00\xbf\xe0\x00\x00\x00\x00\x00\x00")) {
		t.Error("AMF0 -0.5 looks like a .sol")
	}
}

// TestSOLEndMissing: a .sol whose last member lacks the 00 byte that
// ends each member said only "unexpected EOF within "/b"", as if its
// value were cut short; the value is whole, the end byte is missing.
func TestSOLEndMissing(t *testing.T) {
	for _, ver := range []Version{AMF0, AMF3} {
		sol, err := MarshalSOL(&SOL{Name: "s", Version: ver, Members: []Member{{"a", "x"}, {"b", true}}})
		if err != nil {
			t.Fatal(err)
		}
		in := sol[:len(sol)-1]
		in[5]-- // the length field, for the byte taken off
		want := `the 00 byte that ends a .sol entry is missing: the file ends after the value: unexpected EOF within "/b" at offset ` + strconv.Itoa(len(in))
		if _, err := UnmarshalSOL(in); err == nil || !strings.HasSuffix(err.Error(), want) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("v%d UnmarshalSOL: %v, want %q", ver, err, want)
		}
		err = SOLError(in)
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("v%d SOLError: %v, want %q", ver, err, want)
		}
		r := NewReader(in, AMF0)
		if _, _, err := r.ReadSOLStart(); err != nil {
			t.Fatal(err)
		}
		for err == nil {
			if _, err = r.ReadSOLName(); err == nil {
				if _, err = r.ReadValue(); err == nil {
					err = r.ReadSOLEnd()
				}
			}
		}
		if !strings.Contains(err.Error(), "the 00 byte that ends a .sol entry is missing") {
			t.Errorf("v%d token Reader: %v", ver, err)
		}
	}
}
