package amf

import (
	"bytes"
	"errors"
	"os"
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
		{"amf0 AMF3 tables across switches", `00 BF 00 00 00 29 54 43 53 4F 00 04 00 00 00 00 00 01 "s" 00 00 00 00 00 01 "a" 11 06 03 "x" 00 00 01 "b" 11 06 00 00 00 01 "c" 11 0A 0B 01 01 00`,
			nil},
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
			if tc.want != nil {
				if s.Name != tc.want.Name || s.Version != tc.want.Version || len(s.Members) != len(tc.want.Members) {
					t.Fatalf("got %+v, want %+v", s, tc.want)
				}
				for i, m := range s.Members {
					if m != tc.want.Members[i] {
						t.Errorf("member %d = %v, want %v", i, m, tc.want.Members[i])
					}
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

// Flash Player's numbering of AMF0 .sol references (digest §6.1): the data
// object is reference 0, the first object of the body reference 1.
func TestSOLFlashNumbering(t *testing.T) {
	data, err := os.ReadFile("../testdata/sol/shared.sol")
	if err != nil {
		t.Fatal(err)
	}
	s, err := UnmarshalSOL(data)
	if err != nil {
		t.Fatalf("UnmarshalSOL: %v", err)
	}
	get := func(name string) any {
		for _, m := range s.Members {
			if m.Name == name {
				return m.Value
			}
		}
		t.Fatalf("no member %q", name)
		return nil
	}
	cyc := get("cyclic_object").(*Object)
	if cyc.Members[1].Value != any(cyc) {
		t.Errorf("cyclic_object.prop = %v, want cyclic_object itself", cyc.Members[1].Value)
	}
	for _, pair := range [][2]string{{"arr_strict", "arr_strict_ref"}, {"arr_mixed", "arr_mixed_ref"}, {"t_reg", "t_reg_ref"}} {
		if get(pair[0]) != get(pair[1]) {
			t.Errorf("%s = %v, want the value of %s", pair[1], get(pair[1]), pair[0])
		}
	}
	if so := get("top").(*Object).Members[0].Value; so != any(s.Data) || s.Data == nil || len(s.Data.Members) != len(s.Members) {
		t.Errorf("top.so = %v, want the data object (%p)", so, s.Data)
	}
	out, err := MarshalSOL(s)
	if err != nil || !bytes.Equal(out, data) {
		t.Errorf("MarshalSOL = %x, %v\nwant %x", out, err, data)
	}

	// foo.self = foo is reference 1.
	self := mustHex(`00 BF 00 00 00 36 "TCSO" 00 04 00 00 00 00 00 07 "selfref" 00 00 00 00 ` +
		`00 03 "foo" 03 00 01 "n" 00 3F F0 00 00 00 00 00 00 00 04 "self" 07 00 01 00 00 09 00`)
	if f, _ := os.ReadFile("../testdata/sol/selfref.sol"); !bytes.Equal(f, self) {
		t.Fatalf("testdata/sol/selfref.sol is not the bytes of this test")
	}
	s, err = UnmarshalSOL(self)
	if err != nil {
		t.Fatalf("UnmarshalSOL: %v", err)
	}
	foo := s.Members[0].Value.(*Object)
	if foo.Members[1].Value != any(foo) {
		t.Errorf("foo.self = %v, want foo", foo.Members[1].Value)
	}
	if out, err := MarshalSOL(s); err != nil || !bytes.Equal(out, self) {
		t.Errorf("MarshalSOL = %x, %v\nwant %x", out, err, self)
	}

	// A file built in Go: the data slot is taken even without Data, and
	// shared values are numbered from 1.
	o := &Object{Members: []Member{{"k", "v"}}}
	out, err = MarshalSOL(&SOL{Name: "g", Version: AMF0, Members: []Member{{"a", o}, {"b", o}}})
	want := mustHex(`00 BF 00 00 00 27 "TCSO" 00 04 00 00 00 00 00 01 "g" 00 00 00 00 00 01 "a" 03 00 01 "k" 02 00 01 "v" 00 00 09 00 00 01 "b" 07 00 01 00`)
	if err != nil || !bytes.Equal(out, want) {
		t.Errorf("MarshalSOL = %x, %v\nwant %x", out, err, want)
	}
}
