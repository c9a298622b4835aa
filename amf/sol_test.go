package amf

import (
	"bytes"
	"errors"
	"testing"
)

func TestSOL(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		want *SOL
	}{
		{"empty amf0", "00 BF 00 00 00 15 54 43 53 4F 00 04 00 00 00 00 00 05 68 65 6C 6C 6F 00 00 00 00",
			&SOL{Name: "hello", Version: AMF0}},
		{"amf0 entry", "00 BF 00 00 00 24 54 43 53 4F 00 04 00 00 00 00 00 05 68 65 6C 6C 6F 00 00 00 00 00 04 6E 61 6D 65 02 00 05 76 61 6C 75 65 00",
			&SOL{Name: "hello", Version: AMF0, Members: []Member{{"name", "value"}}}},
		{"amf3 PyAMF EchoTest", `00 BF 00 00 00 61 54 43 53 4F 00 04 00 00 00 00 00 08 "EchoTest" 00 00 00 03 0F "httpUri" 06 3D "http://localhost:8000/gateway/" 00 0F "rtmpUri" 06 2B "rtmp://localhost/echo" 00`,
			&SOL{Name: "EchoTest", Version: AMF3, Members: []Member{{"httpUri", "http://localhost:8000/gateway/"}, {"rtmpUri", "rtmp://localhost/echo"}}}},
		{"amf3 string reference across entries", `00 BF 00 00 00 1C 54 43 53 4F 00 04 00 00 00 00 00 01 "s" 00 00 00 03 03 "a" 06 03 "x" 00 03 "b" 06 02 00`,
			&SOL{Name: "s", Version: AMF3, Members: []Member{{"a", "x"}, {"b", "x"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			s, err := UnmarshalSOL(data)
			if err != nil {
				t.Fatalf("UnmarshalSOL: %v", err)
			}
			if s.Name != tc.want.Name || s.Version != tc.want.Version || len(s.Members) != len(tc.want.Members) {
				t.Fatalf("got %+v, want %+v", s, tc.want)
			}
			for i, m := range s.Members {
				if m != tc.want.Members[i] {
					t.Errorf("member %d = %v, want %v", i, m, tc.want.Members[i])
				}
			}
			out, err := MarshalSOL(s)
			if err != nil || !bytes.Equal(out, data) {
				t.Errorf("MarshalSOL = %x, %v; want %x", out, err, data)
			}
		})
	}
}

func TestSOLErrors(t *testing.T) {
	cases := []struct{ name, hex, want string }{
		{"not a sol", "00 BF 00 00 00 04 41 42 43 44", `amf0: not a .sol file (want 00 BF, a length, then "TCSO" 00 04 00 00 00 00) at offset 0`},
		{"bad length", "00 BF 00 00 00 99 54 43 53 4F 00 04 00 00 00 00 00 01 61 00 00 00 00", `amf0: the .sol header gives a length of 153 bytes but 17 follow it at offset 2`},
		{"bad version", "00 BF 00 00 00 11 54 43 53 4F 00 04 00 00 00 00 00 01 61 00 00 00 07", `amf0: unknown .sol AMF version 7 (want 0 or 3) at offset 22`},
		{"missing entry end", "00 BF 00 00 00 16 54 43 53 4F 00 04 00 00 00 00 00 01 61 00 00 00 00 00 01 6B 05 07", `amf0: expected the 00 byte that ends a .sol entry, found 0x07 within "/k" at offset 27`},
		{"truncated value", "00 BF 00 00 00 15 54 43 53 4F 00 04 00 00 00 00 00 01 61 00 00 00 00 00 01 6B 00", `amf0: unexpected EOF within "/k" at offset 27`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := UnmarshalSOL(mustHex(tc.hex))
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("error %T is not a *SyntaxError", err)
			}
		})
	}
}
