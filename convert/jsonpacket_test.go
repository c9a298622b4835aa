package convert

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// checkPacketPaths converts in, the JSON form of a packet, through the
// value model (the oracle) and through the direct paths: appended (one
// pass, held), and written to a writer in one pass and counted first
// (onePassPacket 0). The bytes, or the error messages, must be the same,
// and a path that fails writes nothing. It reports whether the direct
// path took the input.
func checkPacketPaths(t *testing.T, name string, in []byte) bool {
	t.Helper()
	var mk, dk dupKeys // keys given twice: the same warning by every path
	want, werr := appendPacketModel(nil, in, &mk)
	got, gerr := appendPacketJSON(nil, in, &dk)
	comparePaths(t, name+" (append)", want, werr, got, gerr)
	sameDups(t, name+" (append)", in, &mk, &dk)
	var buf bytes.Buffer
	dk = dupKeys{}
	gerr = writePacketJSON(&buf, in, &dk)
	sameDups(t, name+" (write)", in, &mk, &dk)
	if gerr != nil && buf.Len() > 0 {
		t.Errorf("%s (write): %d bytes written before the error %v", name, buf.Len(), gerr)
	}
	comparePaths(t, name+" (write)", want, werr, buf.Bytes(), gerr)

	defer func(n int) { onePassPacket = n }(onePassPacket)
	onePassPacket = 0
	buf.Reset()
	dk = dupKeys{}
	gerr = writePacketJSON(&buf, in, &dk)
	if gerr != nil && buf.Len() > 0 {
		t.Errorf("%s (counted): %d bytes written before the error %v", name, buf.Len(), gerr)
	}
	sameDups(t, name+" (counted)", in, &mk, &dk)
	comparePaths(t, name+" (counted)", want, werr, buf.Bytes(), gerr)
	_, took, _ := packetDirect(nil, &buf, in, nil)
	return took
}

// sameDups: the direct path (got) notes what the value model (want)
// notes: keys given twice, redundant wrappers, dates whose "$tz" AMF3
// drops; the same warnings.
func sameDups(t *testing.T, name string, in []byte, want, got *dupKeys) {
	t.Helper()
	if w, g := warningsOf(want, in), warningsOf(got, in); w != g {
		t.Errorf("%s: model warns %q, direct %q", name, w, g)
	}
}

// warningsOf is every warning d gives about the text in, one a line.
func warningsOf(d *dupKeys, in []byte) string {
	var b strings.Builder
	d.warn(in, func(m string) { b.WriteString(m + "\n") })
	return b.String()
}

func comparePaths(t *testing.T, name string, want []byte, werr error, got []byte, gerr error) {
	t.Helper()
	switch {
	case (werr == nil) != (gerr == nil):
		t.Errorf("%s: model error %v, direct error %v", name, werr, gerr)
	case werr != nil && werr.Error() != gerr.Error():
		t.Errorf("%s: model error\n  %v\ndirect error\n  %v", name, werr, gerr)
	case werr == nil && !bytes.Equal(want, got):
		t.Errorf("%s: bytes differ\nmodel  % x\ndirect % x", name, head(want), head(got))
	}
}

func head(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// sharedRoots are the folders the differential tests read: the repo's
// test data and fuzz corpora, and the shared PyAMF vectors and captures
// where present.
var sharedRoots = []string{"../testdata", "testdata", "../amf/testdata", "/work/shared/vectors", "/work/shared/captures"}

// jsonInputs returns the JSON documents a file gives: itself when it is
// JSON, or the plain and typed JSON of the packet or .sol it holds.
func jsonInputs(data []byte) [][]byte {
	var out [][]byte
	for _, in := range corpusInputs(data) {
		t := bytes.TrimSpace(in)
		if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			out = append(out, in)
			continue
		}
		if p, err := amf.UnmarshalPacket(in); err == nil {
			for _, typed := range []bool{false, true} {
				if j, err := AppendPacket(nil, p, &Options{Typed: typed}); err == nil {
					out = append(out, j)
				}
			}
		}
		if s, err := amf.UnmarshalSOL(in); err == nil {
			for _, typed := range []bool{false, true} {
				if j, err := AppendSOL(nil, s, &Options{Typed: typed}); err == nil {
					out = append(out, j)
				}
			}
		}
	}
	return out
}

// TestPacketJSONPaths: the JSON of every file under testdata/ and of
// every packet and .sol there and in the shared vectors and captures,
// plain and typed, and variants of the packets (version 3, the
// numbering flags), to a packet through the value model and the direct
// paths.
func TestPacketJSONPaths(t *testing.T) {
	files, inputs, taken := 0, 0, 0
	for _, root := range sharedRoots {
		if _, err := os.Stat(root); err != nil && strings.HasPrefix(root, "/work/") {
			continue // the shared folders exist only on the build machine
		}
		tree, err := readTree(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range tree {
			if strings.Contains(f.path, "/bench/") || len(f.data) > 1<<20 {
				continue
			}
			files++
			for k, in := range jsonInputs(f.data) {
				for v, variant := range packetVariants(in) {
					inputs++
					if checkPacketPaths(t, fmt.Sprintf("%s #%d/%d", f.path, k, v), variant) {
						taken++
					}
				}
			}
		}
	}
	t.Logf("%d files, %d inputs, %d taken by the direct path", files, inputs, taken)
	if taken < atLeast(500) {
		t.Errorf("only %d inputs taken by the direct path", taken)
	}
}

// packetVariants returns in and, for the JSON of a packet, the same with
// version 3 (values switched to AMF3 as Flash does) and with each
// message's numbering flags set.
func packetVariants(in []byte) [][]byte {
	out := [][]byte{in}
	if !IsPacketJSON(in) {
		return out
	}
	for _, r := range []struct{ old, new string }{
		{`"version":0`, `"version":3`},
		{`"version":3`, `"version":0`},
		{`"response":`, `"unregisteredArgs":true,"response":`},
		{`"response":`, `"unregisteredArgs":true,"dateRefs":true,"response":`},
		{`"target":`, `"crossEscapeRefs":true,"target":`},
		{`"target":`, `"amf0":true,"target":`},
		{`"version":0`, `"version":3,"x":1`},
	} {
		if v := bytes.ReplaceAll(in, []byte(r.old), []byte(r.new)); !bytes.Equal(v, in) {
			out = append(out, v)
		}
	}
	if v := bytes.ReplaceAll(in, []byte(`"version":0`), []byte(`"version":3`)); !bytes.Equal(v, in) {
		out = append(out, bytes.ReplaceAll(v, []byte(`"response":`), []byte(`"unregisteredArgs":true,"response":`)))
	}
	return out
}

// TestPacketJSONCases: the envelope's members, the numbering flags,
// references across parts, and errors of every kind, through both paths.
func TestPacketJSONCases(t *testing.T) {
	cases := []string{
		`{"version":0,"headers":[],"messages":[]}`,
		`{}`,
		`{"messages":[{"target":"a.b","response":"/1","value":[1,"x",{"a":1}]}]}`,
		`{"messages":[{"target":"a.b","response":"/1"}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[1,"x",{"a":1},[1,2]]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":{"a":"x","b":"x"}}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":null}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[{"$id":1,"a":"s"},{"$ref":1},"s"]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","crossEscapeRefs":true,"value":[{"a":"s"},{"a":"s"},"s"]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":{"$dense":[1,2]}}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":{"$assoc":{"k":1},"$dense":[1,2]}}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[{"$amf3":1},2]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","amf0":true,"value":[1,2]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[1,{"\u0024amf3":2}]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":{"\u0024amf3":[1,2]}}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[[{"$amf3":1}],{"a":{"$amf3":2}}]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":{"a":{"$amf3":1}}}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[{"a":1,"$amf3":null}]}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","value":{"$amf3":1,"$amf3":2}}]}`,
		`{"version":3,"messages":[{"target":"a.b","response":"/1","unregisteredArgs":true,"value":[{"a":1},{"b":2}]}]}`,
		`{"messages":[{"target":"a.b","response":"/1","unregisteredArgs":true,"value":[{"$id":1,"a":1},{"$ref":1}]}]}`,
		`{"messages":[{"target":"a.b","response":"/1","unregisteredArgs":true,"value":{"$dense":[1]}}]}`,
		`{"messages":[{"target":"a.b","response":"/1","value":[{"$id":1,"a":1},{"$ref":1}]}]}`,
		`{"messages":[{"target":"a.b","response":"/1","dateRefs":true,"value":[{"$date":0},{"$id":1,"a":1},{"$ref":1}]}]}`,
		`{"messages":[{"target":"a.b","response":"/1","value":{"$id":1,"a":1}},{"target":"c","response":"/2","value":{"$ref":1}}]}`,
		`{"messages":[{"target":"a.b","response":"/1","value":{"$id":1,"a":1}},{"target":"c","response":"/2","value":{"$id":1,"b":1}}]}`,
		`{"headers":[{"name":"Credentials","mustUnderstand":true,"value":{"userid":"u","password":"p"}}],"messages":[]}`,
		`{"headers":[{"name":"h","length":-1,"value":1}],"messages":[{"target":"t","length":0,"value":"s"},{"target":"t","length":4294967295,"value":"s"}]}`,
		`{"headers":[{"name":"h","length":4294967296,"value":1}]}`,
		`{"headers":[{"mustUnderstand":true,"value":1}]}`,
		`{"headers":[{"name":1}]}`,
		`{"headers":[{"name":"h","mustUnderstand":1}]}`,
		`{"headers":[{"name":"h","target":"t"}]}`,
		`{"headers":[{"name":"h","name":"i"}]}`,
		`{"messages":[{"target":"t","response":"r","value":1,"value":2}]}`,
		`{"messages":[{"response":"r"}]}`,
		`{"messages":[{"target":"t","unregisteredArgs":"yes"}]}`,
		`{"messages":[1]}`,
		`{"messages":{}}`,
		`{"version":2}`,
		`{"version":"0"}`,
		`{"version":0,"version":0}`,
		`{"version":0,"extra":1}`,
		`{"version":0} {"version":0}`,
		`[1]`,
		`{"version":0,"messages":[{"target":"t","value":[1,2}]}`,
		`{"version":0,"messages":[{"target":"t","value":"\ud800"}]}`,
		`{"version":0,"messages":[{"target":"t","value":12345678901234567890}]}`,
		`{"version":0,"messages":[{"target":"t","value":1e400}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"$date":"x"}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"a":1,"$class":"C"}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"$class":"flex.messaging.io.ArrayCollection","source":[1,2]}}]}`,
		`{"version":3,"messages":[{"target":"t","value":{"$class":"C","$traits":{"sealed":["a"],"dynamic":true},"a":1,"b":2}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"$vector":"int","items":[1,2]}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"$bytes":"AAEC"}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"$xmldoc":"<a/>"}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"$ecma":{"a":1},"$count":3}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"$ref":"/messages/0/value"}}]}`,
		`{"version":0,"messages":[{"target":"\u0041\u00e9","response":"$$x","value":{"$$k":1,"\u0024id":1}}]}`,
		`{"version":0,"messages":[{"target":"t","value":{"a":{"$ref":1},"$id":1}}]}`,
		"  \n{\"messages\":[{\"target\":\"t\",\"value\":[[[[1]]]]}]}\n\n",
		`{"messages":[{"target":"` + strings.Repeat("x", 70000) + `"}]}`,
		`{"messages":[{"target":"t","value":"` + strings.Repeat("x", 70000) + `"}]}`,
		`{"version":3,"messages":[{"target":"t","value":"` + strings.Repeat("x", 70000) + `"}]}`,
		`{"messages":[{"target":"t","value":` + strings.Repeat("[", 511) + strings.Repeat("]", 511) + `}]}`,
		`{"messages":[{"target":"t","value":` + strings.Repeat("[", 509) + strings.Repeat("]", 509) + `}]}`,
		`{"messages":[{"target":"t","value":` + strings.Repeat("[", 508) + strings.Repeat("]", 508) + `}]}`,
	}
	for i, c := range cases {
		if took := checkPacketPaths(t, fmt.Sprintf("case %d", i), []byte(c)); testing.Verbose() {
			t.Logf("case %d: direct %v", i, took)
		}
	}
}

// TestPacketJSONRender goes through the pipeline as "amfcall convert
// --to packet" does: RenderTo (hex and raw) against Render.
func TestPacketJSONRender(t *testing.T) {
	ins := [][]byte{
		[]byte(`{"version":3,"messages":[{"target":"a.b","response":"/1","value":[1,"x",{"a":1}]}]}`),
		[]byte(`{"messages":[{"target":1}]}`),
		[]byte(`{"messages":[{"target":"t","value":[1,}]}`),
	}
	for _, in := range ins {
		for _, enc := range []Encoding{Raw, Hex, Base64} {
			src := &Source{Name: "in.json", Kind: KindJSON, Data: in}
			tg := Target{Format: "packet", Encoding: enc}
			want, werr := src.Render(tg, &Options{})
			var buf bytes.Buffer
			ok, gerr := src.RenderTo(&buf, tg, &Options{})
			if !ok {
				t.Fatalf("%s: RenderTo did not take a packet", in)
			}
			if gerr != nil {
				comparePaths(t, string(in), want, werr, nil, gerr)
				continue
			}
			comparePaths(t, string(in), want, werr, buf.Bytes(), gerr)
		}
	}
}

// TestPacketJSONLarge: a W1 reply of 20,000 objects switched to AMF3, as
// plain and typed JSON, counted first and streamed: the same bytes as
// the value model's, and the typed round trip byte-exact.
func TestPacketJSONLarge(t *testing.T) {
	orig, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: amftest.W1(20000)}}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := amf.UnmarshalPacket(orig)
	if err != nil {
		t.Fatal(err)
	}
	for _, typed := range []bool{false, true} {
		j, err := AppendPacket(nil, p, &Options{Typed: typed})
		if err != nil {
			t.Fatal(err)
		}
		if !checkPacketPaths(t, fmt.Sprintf("typed %v", typed), j) {
			t.Errorf("typed %v: not taken by the direct path", typed)
		}
		if typed {
			var buf bytes.Buffer
			defer func(n int) { onePassPacket = n }(onePassPacket)
			onePassPacket = 0
			if err := WritePacketJSON(&buf, j); err != nil || !bytes.Equal(buf.Bytes(), orig) {
				t.Errorf("typed round trip: %v, %d bytes, want %d", err, buf.Len(), len(orig))
			}
		}
	}
}

// A typed $ref to an $id of another header or message of a packet is
// refused, naming both parts and where the $ref is: each header and
// message value is an AMF reference context of its own (BlazeDS and
// PyAMF start new tables there, protocol-digest.md 3.7), so no reference
// can be written, and the value was copied silently (review2 F22). Every
// path says the same; within a message, references across its 0x11
// switches are still written, and $ids are numbered through the packet.
func TestPacketRefAcrossParts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"version":3,"messages":[{"target":"a","response":"/1","value":[{"$id":1,"k":1}]},` + "\n" +
			`{"target":"b","response":"/2","value":[{"$ref":1}]}]}`,
			`message 2: $ref 1 refers to $id 1 of message 1, but references do not cross messages (each header and message value is its own AMF reference context: give the value again, or an $id of its own message) at "/messages/1/value/0/$ref", line 2, column 48`},
		{`{"version":0,"headers":[{"name":"h","value":{"$id":7,"k":1}}],"messages":[{"target":"b","response":"/2","value":{"$ref":7}}]}`,
			`message 1: $ref 7 refers to $id 7 of header 1, but references do not cross headers and messages (each header and message value is its own AMF reference context: give the value again, or an $id of its own message) at "/messages/0/value/$ref", line 1, column 121`},
		{`{"version":0,"headers":[{"name":"h","value":{"$id":1,"k":1}},{"name":"i","value":[{"$ref":1}]}],"messages":[]}`,
			`header 2: $ref 1 refers to $id 1 of header 1, but references do not cross headers and messages (each header and message value is its own AMF reference context: give the value again, or an $id of its own header)`},
		{`{"version":3,"messages":[{"target":"a","value":{"$id":1,"k":1}},{"target":"b","value":[{"$id":1,"k":2}]}]}`,
			`$id 1 is used twice at "/messages/1/value/0/$id"`},
	} {
		checkPacketPaths(t, c.in, []byte(c.in))
		_, err := AppendPacketJSON(nil, []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\nerror %v\nwant %s", c.in, err, c.want)
		}
		var buf bytes.Buffer
		if err := WritePacketJSON(&buf, []byte(c.in)); err == nil || buf.Len() > 0 {
			t.Errorf("%s: WritePacketJSON wrote %d bytes, error %v", c.in, buf.Len(), err)
		}
	}
	// Within a message: one context, its 0x11 switches included; the
	// next message numbers its $ids on.
	in := `{"version":3,"messages":[{"target":"a","response":"/1","value":[{"$id":1,"k":1},{"$ref":1}]},` +
		`{"target":"b","response":"/2","value":[{"$id":2,"k":2},{"$ref":2}]}]}`
	checkPacketPaths(t, in, []byte(in))
	b, err := AppendPacketJSON(nil, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	p, err := amf.UnmarshalPacket(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := AppendPacket(nil, p, &Options{Typed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`{"$id":1,"k":1}},{"$amf3":{"$ref":1}}`, `{"$id":2,"k":2}},{"$amf3":{"$ref":2}}`} {
		if !strings.Contains(string(back), want) {
			t.Errorf("typed JSON of the packet %s, want it to hold %s", back, want)
		}
	}
}
