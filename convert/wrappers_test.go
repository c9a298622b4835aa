package convert

import (
	"bytes"
	"encoding/hex"
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
