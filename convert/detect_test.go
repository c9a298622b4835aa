package convert

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// flvExample is the FLV of protocol-digest.md §6.2: a header and one
// script tag {duration: 10, width: 640}.
const flvExample = `464C5601050000000900000000
	1200003800000000000000
	02000A6F6E4D65746144617461
	0800000002
	0008 6475726174696F6E 00 4024000000000000
	0005 7769647468 00 4084000000000000
	000009
	00000043`

func TestDetect(t *testing.T) {
	packet := mustHex(t, "0000 0000 0001 0004 6563686f 0002 2f31 00000007 0a00000001 0200 0178")
	if _, err := amf.UnmarshalPacket(packet); err != nil {
		t.Fatalf("test packet does not decode: %v", err)
	}
	sol := mustHex(t, "00BF 00000015 5443534F 000400000000 0005 68656C6C6F 000000 00")
	tests := []struct {
		name string
		in   []byte
		kind Kind
		enc  Encoding
	}{
		{"empty", nil, KindEmpty, Raw},
		{"blank", []byte(" \n\t\r\n"), KindEmpty, Raw},
		{"json object", []byte(`{"a": 1}`), KindJSON, Raw},
		{"json array with space and BOM", []byte("\xEF\xBB\xBF  [1]"), KindJSON, Raw},
		{"json string", []byte(`"x"`), KindJSON, Raw},
		{"json number", []byte(`-1.5`), KindJSON, Raw},
		{"json literal", []byte("true\n"), KindJSON, Raw},
		{"json lines", []byte("1\n2\n"), KindJSON, Raw},
		{"invalid json is still json", []byte(`{"a": }`), KindJSON, Raw},
		{"digits that are valid json and hex", []byte("1234"), KindJSON, Raw},
		{"word that is valid json and base64", []byte("true"), KindJSON, Raw},
		{"packet", packet, KindPacket, Raw},
		{"packet in hex", []byte(hex.EncodeToString(packet)), KindPacket, Hex},
		{"packet in spaced upper-case hex", []byte(strings.ToUpper("0000 0000 0001 0004 6563686f 0002 2f31 00000007 0a00000001 0200 0178\n")), KindPacket, Hex},
		{"packet in base64", []byte(base64.StdEncoding.EncodeToString(packet)), KindPacket, Base64},
		{"packet in unpadded url base64", []byte(base64.RawURLEncoding.EncodeToString(packet)), KindPacket, Base64},
		{"truncated packet", packet[:len(packet)-3], KindPacket, Raw},
		{"sol", sol, KindSOL, Raw},
		{"flv", mustHex(t, flvExample), KindFLV, Raw},
		{"amf3 value", mustHex(t, "0a0b01036104010105400400000000000001"), KindValue, Raw},
		{"amf3 value in hex", []byte("0a0b01036104010105400400000000000001"), KindValue, Hex},
		{"amf0 value in base64", []byte(base64.StdEncoding.EncodeToString(mustHex(t, "020003616263"))), KindValue, Base64},
		{"amf0 number that starts like a packet", mustHex(t, "00 3ff0000000000000"), KindValue, Raw},
		{"amf0 unsupported is a carriage return", []byte{0x0D}, KindValue, Raw},
		{"amf3 object starting with a line feed", mustHex(t, "0a 7b 01 03 61"), KindValue, Raw},
		{"amf3 string", mustHex(t, "06 07 616263"), KindValue, Raw},
		{"text that is nothing", []byte("hello, world"), KindValue, Raw},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := Detect(tc.in)
			if g.Kind != tc.kind || g.Encoding != tc.enc {
				t.Errorf("Detect(%q) = %v/%v, want %v/%v", tc.in, g.Kind, g.Encoding, tc.kind, tc.enc)
			}
			if g.Kind == KindPacket && g.Packet == nil && g.Err == nil {
				t.Errorf("Detect(%q): packet without a decoded packet or an error", tc.in)
			}
		})
	}
}

func TestDetectKeepsUnwrappedData(t *testing.T) {
	raw := mustHex(t, "0a0b01036104010105400400000000000001")
	g := Detect([]byte(" " + hex.EncodeToString(raw) + "\n"))
	if !bytes.Equal(g.Data, raw) {
		t.Errorf("Data = %x, want %x", g.Data, raw)
	}
	if d := g.Describe(); d != "bare AMF value(s), hex-encoded" {
		t.Errorf("Describe() = %q", d)
	}
}

func TestDetectVectors(t *testing.T) {
	for _, glob := range []string{"../testdata/pyamf/vectors/env_*.amf", "../testdata/pyamf/captures/*.request.amf"} {
		files := globFiles(t, glob)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			g := Detect(data)
			want := KindPacket
			if strings.Contains(f, "garbage") {
				want = KindValue // "\x00\x03garbage": 3 headers claimed in 9 bytes
			}
			if g.Kind != want {
				t.Errorf("%s: Detect = %v (%v), want %v", f, g.Kind, g.Err, want)
			}
		}
	}
	for _, f := range globFiles(t, "../testdata/pyamf/vectors/*.amf3") {
		data, _ := os.ReadFile(f)
		if g := Detect(data); g.Kind != KindValue && !(g.Kind == KindEmpty && len(bytes.TrimSpace(data)) == 0) {
			t.Errorf("%s: Detect = %v, want value", f, g.Kind)
		}
	}
}

func globFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files for %s (%v)", pattern, err)
	}
	return files
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name    string
		hex     bool
		in      string
		want    string // hex of the result
		wantErr string
	}{
		{"hex", true, "0a 0B\n01", "0a0b01", ""},
		{"hex odd", true, "0a0", "", "hex: odd number of hex digits at offset 3"},
		{"hex bad char", true, "0a 0g", "", `hex: invalid character 'g' at offset 4`},
		{"base64 padded", false, "AAEC\nAw==", "00010203", ""},
		{"base64 unpadded", false, "AAECAw", "00010203", ""},
		{"base64 url", false, "-_8", "fbff", ""},
		{"base64 mixed alphabets", false, "+-AA", "", "base64: mixed standard and URL alphabets at offset 1"},
		{"base64 bad", false, "AA*A", "", "base64: invalid base64 text at offset 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			var err error
			if tc.hex {
				got, err = DecodeHex([]byte(tc.in))
			} else {
				got, err = DecodeBase64([]byte(tc.in))
			}
			if tc.wantErr != "" {
				var te *TextError
				if err == nil || err.Error() != tc.wantErr || !errors.As(err, &te) {
					t.Fatalf("decode(%q) error = %v, want %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil || hex.EncodeToString(got) != tc.want {
				t.Fatalf("decode(%q) = %x, %v, want %s", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestReadFLV(t *testing.T) {
	data := mustHex(t, flvExample)
	tags, err := ReadFLV(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 1 {
		t.Fatalf("got %d tags, want 1", len(tags))
	}
	tag := tags[0]
	if tag.Name != "onMetaData" || tag.Offset != 13 || tag.Index != 0 || tag.Extra != nil {
		t.Errorf("tag = %+v", tag)
	}
	arr, ok := tag.Value.(*amf.ECMAArray)
	if !ok || len(arr.Members) != 2 || arr.Members[0].Name != "duration" || arr.Members[0].Value != 10.0 ||
		arr.Members[1].Name != "width" || arr.Members[1].Value != 640.0 {
		t.Errorf("value = %#v", tag.Value)
	}
}

func TestReadFLVErrors(t *testing.T) {
	data := mustHex(t, flvExample)
	tests := []struct {
		name    string
		in      []byte
		wantErr string
	}{
		{"truncated tag", data[:40], "flv: tag 0: data size 56 exceeds the 16 bytes left: unexpected EOF at offset 14"},
		{"truncated header", data[:20], "flv: unexpected EOF at offset 13"},
		{"bad value", append(append(append([]byte{}, data[:13+11+13]...), 0x42), data[13+11+14:]...),
			"amf0: unknown or invalid marker 0x42 at offset 37"},
		{"bad header size", append(append([]byte{}, data[:5]...), 0, 0, 0, 3, 0, 0, 0, 0), "flv: invalid header size 3 at offset 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFLV(tc.in)
			var se *amf.SyntaxError
			if err == nil || !errors.As(err, &se) {
				t.Fatalf("ReadFLV(%x) = %v, want a *amf.SyntaxError", tc.in, err)
			}
			if err.Error() != tc.wantErr {
				t.Errorf("ReadFLV(%x) error = %q, want %q", tc.in, err.Error(), tc.wantErr)
			}
		})
	}
	// A file may end right after a tag, without the last PreviousTagSize.
	if tags, err := ReadFLV(data[:len(data)-4]); err != nil || len(tags) != 1 {
		t.Errorf("without the last size: %d tags, %v", len(tags), err)
	}
}

// FuzzDetect: Detect never panics and keeps what its documentation
// says of a guess (checkDetectPromises).
func FuzzDetect(f *testing.F) {
	f.Add([]byte(`{"a":1}`))
	f.Add(mustHex(f, flvExample))
	f.Add(mustHex(f, "0000 0000 0001 0004 6563686f 0002 2f31 00000007 0a00000001 0200 0178"))
	f.Add([]byte("0a0b0103610401"))
	f.Add([]byte("AAMAAAAB"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDetectPromises(t, data)
	})
}
