package convert

import (
	"bytes"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A Flex wrapper holds what its class writes: an ArrayCollection's or
// ArrayList's source is an array, an ObjectProxy's object an object.
// {"$class": "flex.messaging.io.ArrayCollection", "source": 5} was
// written as an ArrayCollection of 5, which a Flex client or BlazeDS
// fails to cast (review2 F7). Both JSON paths (the streamed writer and
// the value model) refuse it with the same error, naming the member,
// its line and column, in AMF0 and AMF3; a packet's too.
func TestWrapperHoldsItsKind(t *testing.T) {
	const ac, al, op = "flex.messaging.io.ArrayCollection", "flex.messaging.io.ArrayList", "flex.messaging.io.ObjectProxy"
	for _, tc := range []struct{ in, want string }{
		{`{"$class":"` + ac + `","source":5}`,
			`json: the source of a ` + ac + ` must be an array, not a number at "/source", line 1, column 56 (offset 55)`},
		{`[1,` + "\n" + `{"$class":"` + al + `", "source": {"a": []}}]`,
			`json: the source of a ` + al + ` must be an array, not an object at "/1/source", line 2, column 52 (offset 55)`},
		{`{"$class":"` + op + `","object":[1]}`,
			`json: the object of a ` + op + ` must be an object, not an array at "/object", line 1, column 52 (offset 51)`},
		{`{"$class":"` + op + `","object":{"$date":0}}`,
			`json: the object of a ` + op + ` must be an object, not a date at "/object", line 1, column 52 (offset 51)`},
		{`{"$class":"` + op + `","object":null}`,
			`json: the object of a ` + op + ` must be an object, not null at "/object", line 1, column 52 (offset 51)`},
		// An $id that names an object, not an array.
		{`[{"$id":1,"a":[]},{"$class":"` + ac + `","source":{"$ref":1}}]`,
			`json: the source of a ` + ac + ` must be an array, not an object at "/1/source", line 1, column 74 (offset 73)`},
	} {
		if _, err := FromJSON([]byte(tc.in)); err == nil || err.Error() != tc.want {
			t.Errorf("FromJSON(%s): %v\nwant %s", tc.in, err, tc.want)
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			if got, err := AppendJSONAsAMF(nil, []byte(tc.in), ver); err == nil || err.Error() != tc.want {
				t.Errorf("%s as %v: %x, %v\nwant %s", tc.in, ver, got, err, tc.want)
			}
		}
	}
	// In a packet: the message's path.
	pkt := `{"version":3,"headers":[],"messages":[{"target":"a","response":"/1","value":[{"$class":"` + ac + `","source":"x"}]}]}`
	want := `json: the source of a ` + ac + ` must be an array, not a string at "/messages/0/value/0/source", line 1, column 133 (offset 132)`
	if _, err := AppendPacketJSON(nil, []byte(pkt)); err == nil || err.Error() != want {
		t.Errorf("packet: %v\nwant %s", err, want)
	}
	if _, err := PacketFromJSON([]byte(pkt)); err == nil || err.Error() != want {
		t.Errorf("packet, value model: %v\nwant %s", err, want)
	}

	// What the classes hold is written, the same by both paths: an
	// array (also with an associative part, or by $ref), a typed object.
	for _, in := range []string{
		`{"$class":"` + ac + `","source":[1,"a"]}`,
		`{"$class":"` + al + `","source":{"$dense":[1],"$assoc":{"k":1}}}`,
		`[{"$id":1,"$dense":[1]},{"$class":"` + ac + `","source":{"$ref":1}}]`,
		`{"$class":"` + op + `","object":{"$class":"A","x":{"$date":0}}}`,
		`{"$class":"` + op + `","object":{}}`,
		// Not a wrapper's one member: an AMF0 typed object, as before.
		`{"$class":"` + ac + `","source":5,"x":1}`,
	} {
		v, err := FromJSON([]byte(in))
		if err != nil {
			t.Errorf("FromJSON(%s): %v", in, err)
			continue
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			want, werr := amf.Marshal(v, ver)
			got, err := AppendJSONAsAMF(nil, []byte(in), ver)
			if werr != nil {
				if err == nil {
					t.Errorf("%s as %v: streamed wrote %x, the encoder refused: %v", in, ver, got, werr)
				}
				continue
			}
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s as %v: %x, %v; want %x", in, ver, got, err, want)
			}
		}
	}
}

// Such bytes from a server are read as they are: the typed form shows
// the member (so the reply can be looked at), the plain form the value
// the wrapper holds, with no error.
func TestWrapperHoldingOtherRead(t *testing.T) {
	for in, typed := range map[string]string{
		// ArrayCollection wrapping the integer 5.
		"0a0743666c65782e6d6573736167696e672e696f2e4172726179436f6c6c656374696f6e0405": `{"$class":"flex.messaging.io.ArrayCollection","source":5}`,
		// ObjectProxy wrapping the string "x".
		"0a073b666c65782e6d6573736167696e672e696f2e4f626a65637450726f7879060378": `{"$class":"flex.messaging.io.ObjectProxy","object":"x"}`,
	} {
		b, _ := hex.DecodeString(in)
		var v any
		if err := amf.Unmarshal(b, amf.AMF3, &v); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got, err := AppendValue(nil, v, &Options{Typed: true})
		if err != nil || string(got) != typed {
			t.Errorf("%s typed: %s, %v; want %s", in, got, err, typed)
		}
		plain, err := AppendValue(nil, v, &Options{})
		if err != nil || strings.Contains(string(plain), "$class") {
			t.Errorf("%s plain: %s, %v", in, plain, err)
		}
	}
}

// TestWrapperHoldingOtherWarned: plain JSON of such a wrapper prints the
// value it holds (a Flex client would fail to cast it) with one warning
// that names the first one's path and what it holds, and the count; by
// every path that writes plain JSON (the value model, the streamed
// writer of bare values, frames and packets). A wrapper that holds its
// kind says nothing; nor does the typed form, which shows the wrapper.
// Typed JSON of it does not go back to AMF (review2 F7: the JSON readers
// refuse it, naming the member, as they refuse it written by hand).
func TestWrapperHoldingOtherWarned(t *testing.T) {
	str := func(s string) []byte { return append([]byte{byte(len(s)<<1 | 1)}, s...) }
	wrapper := func(cls string, held ...byte) []byte {
		return append(append([]byte{0x0a, 0x07}, str(cls)...), held...)
	}
	const ac, al, op = "flex.messaging.io.ArrayCollection", "flex.messaging.io.ArrayList", "flex.messaging.io.ObjectProxy"
	good := wrapper(ac, 0x09, 0x03, 0x01, 0x04, 0x01) // source [1]
	five := wrapper(ac, 0x04, 0x05)                   // source 5
	// {"ok": [1], "list": 5, "p": "s", "l": {}}: three wrappers of
	// another kind, the first at "/list".
	obj := []byte{0x0a, 0x0b, 0x01}
	obj = append(append(obj, str("ok")...), good...)
	obj = append(append(obj, str("list")...), five...)
	obj = append(append(obj, str("p")...), wrapper(op, append([]byte{0x06}, str("s")...)...)...)
	obj = append(append(obj, str("l")...), wrapper(al, 0x0a, 0x0b, 0x01, 0x01)...)
	obj = append(obj, 0x01)
	const want3 = `3 Flex wrappers hold another kind than their class (the first at "/list": a ` + ac + ` whose source is a number, not an array)`
	frame := func(v []byte) []byte {
		return append([]byte{0, 0, 0, byte(len(v))}, v...)
	}
	pkt := []byte{0, 3, 0, 0, 0, 1, 0, 1, 'a', 0, 1, 'b', 0, 0, 0, byte(len(five) + 1), 0x11}
	pkt = append(pkt, five...)
	for _, tc := range []struct {
		name string
		src  *Source
		want string // the warning's start, "" for none
	}{
		{"one", &Source{Kind: KindValue, Version: amf.AMF3, VersionWhy: "as asked", Data: five},
			`a Flex wrapper at the top value holds another kind than its class (a ` + ac + ` whose source is a number, not an array)`},
		{"nested", &Source{Kind: KindValue, Version: amf.AMF3, VersionWhy: "as asked", Data: obj}, want3},
		{"good", &Source{Kind: KindValue, Version: amf.AMF3, VersionWhy: "as asked", Data: good}, ""},
		{"frames", &Source{Kind: KindSocket, Data: append(frame(good), frame(obj)...)}, want3},
		{"packet", nil, `a Flex wrapper at "/messages/0/value" holds another kind than its class`},
	} {
		for _, typed := range []bool{false, true} {
			for _, streamed := range []bool{false, true} {
				src := tc.src
				if src == nil {
					var err error
					if src, err = Load(pkt, "in", InSpec{}); err != nil {
						t.Fatal(err)
					}
				}
				src.Name = "in"
				var warns []string
				o := &Options{Typed: typed, Warn: func(m string) { warns = append(warns, m) }}
				var out []byte
				var err error
				if streamed {
					var buf bytes.Buffer
					var ok bool
					if ok, err = src.RenderTo(&buf, Target{Format: "json"}, o); !ok {
						t.Fatalf("%s: not streamed", tc.name)
					}
					out = buf.Bytes()
				} else {
					out, err = src.Render(Target{Format: "json"}, o)
				}
				if err != nil {
					t.Fatalf("%s typed=%v streamed=%v: %v", tc.name, typed, streamed, err)
				}
				if !typed && bytes.Contains(out, []byte("$class")) || typed && tc.want != "" && !bytes.Contains(out, []byte("$class")) {
					t.Errorf("%s typed=%v streamed=%v: %s", tc.name, typed, streamed, out)
				}
				want := tc.want
				if tc.name == "frames" && want != "" {
					want = "frame 2: " + want // frameWarns names the frame
				}
				switch {
				case (typed || want == "") && len(warns) > 0:
					t.Errorf("%s typed=%v streamed=%v: warned %q", tc.name, typed, streamed, warns)
				case !typed && want != "" && (len(warns) != 1 || !strings.HasPrefix(warns[0], want)):
					t.Errorf("%s streamed=%v: warnings %q, want one starting %q", tc.name, streamed, warns, want)
				}
				if typed && tc.want != "" && tc.name != "packet" && tc.name != "frames" {
					// Typed JSON of it is refused on the way back.
					if b, err := AppendJSONAsAMF(nil, out, amf.AMF3); err == nil || !strings.Contains(err.Error(), "must be an") {
						t.Errorf("%s: typed JSON back to AMF: %x, %v; want the wrapper's error", tc.name, b, err)
					}
				}
			}
		}
	}
	// The value model's writer, as call prints a reply, says the same.
	vec := wrapper(ac, 0x0d, 0x03, 0x00, 0, 0, 0, 1) // source Vector.<int> [1]
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{obj, want3},
		{vec, `a Flex wrapper at the top value holds another kind than its class (a ` + ac + ` whose source is a vector, not an array)`},
	} {
		var v any
		if err := amf.Unmarshal(tc.data, amf.AMF3, &v); err != nil {
			t.Fatal(err)
		}
		for _, model := range []bool{true, false} {
			var warns []string
			o := &Options{Warn: func(m string) { warns = append(warns, m) }}
			var err error
			if model {
				_, err = AppendValue(nil, v, o)
			} else {
				err = WriteAMF(io.Discard, tc.data, amf.AMF3, o)
			}
			if err != nil || len(warns) != 1 || !strings.HasPrefix(warns[0], tc.want) {
				t.Errorf("model %v: %v, warnings %q, want one starting %q", model, err, warns, tc.want)
			}
		}
	}
}
