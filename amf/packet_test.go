package amf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

const xml42 = `<data><item id='1'>hello xml</item></data>` // 42 bytes

// The Flex ping of §4.9 (Flash Player 9, trung/erling), 244 bytes.
const flexPingHex = `00 03 00 00 00 01 00 04 "null" 00 02 "/1" 00 00 00 E0
	0A 00 00 00 01 11
	0A 81 13 4D "flex.messaging.messages.CommandMessage"
	13 "operation" 1B "correlationId" 09 "body" 13 "messageId" 11 "clientId"
	13 "timestamp" 15 "timeToLive" 0F "headers" 17 "destination"
	04 05 06 01 0A 0B 01 01 06 49 "94F130C5-5F35-6F09-50EF-EF3D5663FAC4" 01 04 00 04 00
	0A 05 25 "DSMessagingVersion" 04 01 09 "DSId" 06 07 "nil" 01
	06 01`

// The RemotingMessage request of §4.9, 287 bytes.
const remotingHex = `00 03 00 00 00 01 00 04 "null" 00 02 "/2" 00 00 01 0B
	0A 00 00 00 01 11
	0A 81 13 4F "flex.messaging.messages.RemotingMessage"
	09 "body" 11 "clientId" 17 "destination" 0F "headers" 13 "messageId"
	13 "operation" 0D "source" 13 "timestamp" 15 "timeToLive"
	09 03 01 06 05 "hi"
	01
	06 17 "echoService"
	0A 0B 01 09 "DSId" 06 49 "3F2504E0-4F89-11D3-9A0C-0305E82C3301" 15 "DSEndpoint" 06 0D "my-amf" 01
	06 49 "C0FFEE00-1111-2222-3333-444455556666"
	06 09 "echo"
	01
	04 00 04 00`

func flexPingWant() *Packet {
	cmd := []string{"operation", "correlationId", "body", "messageId", "clientId", "timestamp", "timeToLive", "headers", "destination"}
	body := anon()
	headers := &Object{Members: []Member{m("DSMessagingVersion", Int(1)), m("DSId", "nil")}, Traits: body.Traits}
	msg := typed("flex.messaging.messages.CommandMessage", cmd,
		m("operation", Int(5)), m("correlationId", ""), m("body", body),
		m("messageId", "94F130C5-5F35-6F09-50EF-EF3D5663FAC4"), m("clientId", nil),
		m("timestamp", Int(0)), m("timeToLive", Int(0)), m("headers", headers), m("destination", ""))
	return &Packet{Version: 3, Messages: []Message{{Target: "null", Response: "/1", Value: dense(AVMPlus{msg})}}}
}

type packetCase struct {
	name  string
	hex   string
	want  *Packet
	canon string
	check func(t *testing.T, p *Packet)
	opts  DecOptions
}

var packetCases = []packetCase{
	{name: "§3.3 request svc.echo", hex: `00 00 00 00 00 01 00 08 "svc.echo" 00 02 "/1" 00 00 00 13 0A 00 00 00 02 02 00 02 "hi" 00 3F F0 00 00 00 00 00 00`,
		want: &Packet{Messages: []Message{{Target: "svc.echo", Response: "/1", Value: dense("hi", 1.0)}}}},
	{name: "§7#10 response length 0xFFFFFFFF", hex: `00 00 00 00 00 01 00 0B "/1/onResult" 00 04 "null" FF FF FF FF 02 00 02 "hi"`,
		want: &Packet{Messages: []Message{{Target: "/1/onResult", Response: "null", Length: u32p(UnknownLength), Value: "hi"}}}},
	{name: "§7#10 length 0 (PyAMF)", hex: `00 00 00 00 00 01 00 0B "/1/onResult" 00 00 00 00 00 00 02 00 02 "hi"`,
		want: &Packet{Messages: []Message{{Target: "/1/onResult", Response: "", Length: u32p(0), Value: "hi"}}}},
	{name: "§7#10 length 1 (BlazeDS)", hex: `00 03 00 00 00 01 00 0B "/1/onResult" 00 04 "null" 00 00 00 01 11 04 05`,
		want: &Packet{Version: 3, Messages: []Message{{Target: "/1/onResult", Response: "null", Length: u32p(1), Value: AVMPlus{Int(5)}}}}},
	{name: "§7#10 exact length", hex: `00 00 00 00 00 01 00 0B "/1/onResult" 00 04 "null" 00 00 00 05 02 00 02 "hi"`,
		want: &Packet{Messages: []Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}}},
	{name: "§3.5 Credentials header", hex: `00 00 00 01 00 0B "Credentials" 00 00 00 00 1E 03 00 06 "userid" 02 00 01 "u" 00 08 "password" 02 00 01 "p" 00 00 09 00 00`,
		want: &Packet{Headers: []Header{{Name: "Credentials", Value: obj0(m("userid", "u"), m("password", "p"))}}}},
	{name: "§3.5 must-understand header", hex: `00 00 00 01 00 01 "H" 01 00 00 00 01 05 00 00`,
		want: &Packet{Headers: []Header{{Name: "H", MustUnderstand: true, Value: nil}}}},
	{name: "§3.2 version 1 (FMS)", hex: `00 01 00 00 00 00`, want: &Packet{Version: 1}},
	{name: "§3.4 batch keeps wire order", hex: `00 00 00 00 00 02 00 01 "b" 00 02 "/2" 00 00 00 01 05 00 01 "a" 00 02 "/1" 00 00 00 01 06`,
		want: &Packet{Messages: []Message{{Target: "b", Response: "/2", Value: nil}, {Target: "a", Response: "/1", Value: Undefined{}}}}},
	{name: "§3.7 each body has its own tables", hex: `00 00 00 00 00 02 00 01 "a" 00 01 "r" 00 00 00 0A 11 0A 0B 01 03 "x" 06 03 "y" 01 00 01 "b" 00 01 "r" 00 00 00 09 11 0A 0B 01 03 "z" 06 00 01`,
		want: &Packet{Messages: []Message{
			{Target: "a", Response: "r", Value: AVMPlus{anon(m("x", "y"))}},
			{Target: "b", Response: "r", Value: AVMPlus{anon(m("z", "z"))}},
		}}},
	{name: "§3.7 a string reference across switches (BlazeDS, Flash)", hex: `00 03 00 00 00 01 00 03 "a.b" 00 02 "/1" 00 00 00 0D 0A 00 00 00 02 11 06 05 "ab" 11 06 00`,
		want: &Packet{Version: 3, Messages: []Message{{Target: "a.b", Response: "/1", Value: dense(AVMPlus{"ab"}, AVMPlus{"ab"}), CrossEscapeRefs: true}}}},
	{name: "§3.7 a traits reference across switches", hex: `00 03 00 01 00 01 "H" 00 00 00 00 09 11 0A 13 03 "C" 03 "x" 04 01 00 01 00 01 "t" 00 01 "r" 00 00 00 13 0A 00 00 00 02 11 0A 13 03 "C" 03 "x" 04 01 11 0A 01 04 02`,
		want: &Packet{Version: 3,
			Headers:  []Header{{Name: "H", Value: AVMPlus{typed("C", []string{"x"}, m("x", Int(1)))}}},
			Messages: []Message{{Target: "t", Response: "r", Value: dense(AVMPlus{typed("C", []string{"x"}, m("x", Int(1)))}, AVMPlus{typed("C", []string{"x"}, m("x", Int(2)))}), CrossEscapeRefs: true}}},
		check: func(t *testing.T, p *Packet) {
			a := p.Messages[0].Value.(*Array)
			if a.Dense[0].(AVMPlus).Value.(*Object).Traits != a.Dense[1].(AVMPlus).Value.(*Object).Traits {
				t.Error("the traits reference does not give the first object's traits")
			}
		}},
	{name: "§3.7 strings written inline again in each switch", hex: `00 03 00 00 00 01 00 03 "a.b" 00 02 "/1" 00 00 00 0F 0A 00 00 00 02 11 06 05 "ab" 11 06 05 "ab"`,
		want: &Packet{Version: 3, Messages: []Message{{Target: "a.b", Response: "/1", Value: dense(AVMPlus{"ab"}, AVMPlus{"ab"})}}}},
	{name: "§3.7 references inside one switch are not across", hex: `00 03 00 00 00 01 00 03 "a.b" 00 02 "/1" 00 00 00 0F 0A 00 00 00 01 11 09 05 01 06 05 "ab" 06 00`,
		want: &Packet{Version: 3, Messages: []Message{{Target: "a.b", Response: "/1", Value: dense(AVMPlus{dense("ab", "ab")})}}}},
	{name: "§1.3.4 Flash capture getDataMaps", hex: `00 00 00 00 00 01 00 12 "AMFApp.getDataMaps" 00 02 "/1" 00 00 00 17 0A 00 00 00 01 0A 00 00 00 01 02 00 0A "G2C Online"`,
		want: &Packet{Messages: []Message{{Target: "AMFApp.getDataMaps", Response: "/1", Value: dense(dense("G2C Online"))}}}},
	{name: "§1.4 Flash capture: XML registered after the args array",
		hex: `00 00 00 00 00 01 00 09 "test.avm1" 00 02 "/1" 00 00 00 4D 0A 00 00 00 01 03 00 05 "n_xml" 0F 00 00 00 2A "` + xml42 + `" 00 09 "n_xml_ref" 07 00 02 00 00 09`,
		want: func() *Packet {
			x := &XML{Text: xml42, Document: true}
			return &Packet{Messages: []Message{{Target: "test.avm1", Response: "/1", Value: dense(obj0(m("n_xml", x), m("n_xml_ref", x))), XMLRefs: true}}}
		}(),
		// The XML document takes a slot (Flash profile), and the same
		// document met again is written back as the reference: the
		// reference to it is recorded (XMLRefs).
		check: func(t *testing.T, p *Packet) {
			o := p.Messages[0].Value.(*Array).Dense[0].(*Object)
			if o.Members[0].Value != o.Members[1].Value {
				t.Error("n_xml_ref is not n_xml")
			}
		}},
	{name: "§4.9 Flex ping capture", hex: flexPingHex, want: flexPingWant(),
		check: func(t *testing.T, p *Packet) {
			msg := p.Messages[0].Value.(*Array).Dense[0].(AVMPlus).Value.(*Object)
			body, _ := msg.Get("body")
			headers, _ := msg.Get("headers")
			if body.(*Object).Traits != headers.(*Object).Traits {
				t.Error("headers do not share the body's traits (traits reference 1)")
			}
		}},
	{name: "§4.9 RemotingMessage request", hex: remotingHex,
		want: &Packet{Version: 3, Messages: []Message{{Target: "null", Response: "/2", Value: dense(AVMPlus{typed("flex.messaging.messages.RemotingMessage",
			[]string{"body", "clientId", "destination", "headers", "messageId", "operation", "source", "timestamp", "timeToLive"},
			m("body", dense("hi")), m("clientId", nil), m("destination", "echoService"),
			m("headers", anon(m("DSId", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"), m("DSEndpoint", "my-amf"))),
			m("messageId", "C0FFEE00-1111-2222-3333-444455556666"), m("operation", "echo"), m("source", nil),
			m("timestamp", Int(0)), m("timeToLive", Int(0)))})}}}},
}

func TestPacket(t *testing.T) {
	for _, tc := range packetCases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			p, err := mustDecMode(t, tc.opts).UnmarshalPacket(data)
			if err != nil {
				t.Fatalf("UnmarshalPacket(0x%x) error: %v", data, err)
			}
			if !packetEqual(p, tc.want) {
				t.Fatalf("UnmarshalPacket(0x%x) =\n  %s\nwant\n  %s", data, showPacket(p), showPacket(tc.want))
			}
			if tc.check != nil {
				tc.check(t, p)
			}
			want := data
			if tc.canon != "" {
				want = mustHex(tc.canon)
			}
			out, err := MarshalPacket(p)
			if err != nil {
				t.Fatalf("MarshalPacket error: %v", err)
			}
			if !bytes.Equal(out, want) {
				t.Fatalf("MarshalPacket(UnmarshalPacket(0x%x)) =\n  %x\nwant\n  %x", data, out, want)
			}
			out, err = AppendPacket([]byte("x"), p)
			if err != nil || !bytes.Equal(out, append([]byte("x"), want...)) {
				t.Fatalf("AppendPacket = %x, %v", out, err)
			}
		})
	}
	if n := len(mustHex(flexPingHex)); n != 244 {
		t.Errorf("Flex ping is %d bytes, want 244", n)
	}
	if n := len(mustHex(remotingHex)); n != 287 {
		t.Errorf("RemotingMessage is %d bytes, want 287", n)
	}
}

func packetEqual(a, b *Packet) bool {
	if a.Version != b.Version || len(a.Headers) != len(b.Headers) || len(a.Messages) != len(b.Messages) {
		return false
	}
	for i, h := range a.Headers {
		g := b.Headers[i]
		if h.Name != g.Name || h.MustUnderstand != g.MustUnderstand || !u32eq(h.Length, g.Length) || !valueEqual(h.Value, g.Value) || h.CrossEscapeRefs != g.CrossEscapeRefs || h.XMLRefs != g.XMLRefs {
			return false
		}
	}
	for i, msg := range a.Messages {
		g := b.Messages[i]
		if msg.Target != g.Target || msg.Response != g.Response || !u32eq(msg.Length, g.Length) || !valueEqual(msg.Value, g.Value) || msg.CrossEscapeRefs != g.CrossEscapeRefs || msg.XMLRefs != g.XMLRefs {
			return false
		}
	}
	return true
}

func u32eq(a, b *uint32) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func showPacket(p *Packet) string {
	s := "version " + show(float64(p.Version))
	for _, h := range p.Headers {
		s += "\n  header " + h.Name + " " + show(h.Value)
		if h.CrossEscapeRefs {
			s += " crossEscapeRefs"
		}
		if h.Length != nil {
			s += " len " + show(float64(*h.Length))
		}
	}
	for _, msg := range p.Messages {
		s += "\n  message " + msg.Target + " " + msg.Response + " " + show(msg.Value)
		if msg.CrossEscapeRefs {
			s += " crossEscapeRefs"
		}
		if msg.Length != nil {
			s += " len " + show(float64(*msg.Length))
		}
	}
	return s
}

var packetErrorCases = []errorCase{
	{name: "empty", hex: "", err: `amf0: unexpected EOF within "/version" at offset 0`, is: io.ErrUnexpectedEOF},
	{name: "§3.2 version 2", hex: "00 02 00 00 00 00", err: "amf: unsupported packet version 2 (want 0, 1 or 3) at offset 0", is: ErrVersion},
	{name: "§3.2 HTTP instead of AMF", hex: `"GET / HTTP/1.1"`, err: "amf: unsupported packet version 18245 (want 0, 1 or 3) at offset 0", is: ErrVersion},
	{name: "header count beyond the input", hex: "00 00 00 05", err: `amf0: count 5 needs at least 40 bytes but 0 remain: unexpected EOF within "/headers" at offset 2`, is: io.ErrUnexpectedEOF},
	{name: "message count beyond the input", hex: "00 00 00 00 FF FF 00", err: `amf0: count 65535 needs at least 589815 bytes but 1 remain: unexpected EOF within "/messages" at offset 4`, is: io.ErrUnexpectedEOF},
	{name: "truncated target", hex: `00 00 00 00 00 01 00 0A "abcdefg"`, err: `amf0: length 10 exceeds the 7 bytes left: unexpected EOF within "/messages/0/target" at offset 6`, is: io.ErrUnexpectedEOF},
	{name: "missing length", hex: `00 00 00 00 00 01 00 01 "a" 00 01 "b" 00 00 00`, err: `amf0: unexpected EOF within "/messages/0/length" at offset 15`, is: io.ErrUnexpectedEOF},
	{name: "bad reference in a message value", hex: `00 00 00 00 00 01 00 01 "t" 00 01 "r" 00 00 00 00 0A 00 00 00 01 07 00 05`,
		err: `amf0: invalid object reference 5 (table has 1) within "/messages/0/value/0" at offset 22`, is: ErrReference},
	{name: "§3.7 no references across bodies", hex: `00 00 00 00 00 02 00 01 "a" 00 01 "r" 00 00 00 00 03 00 00 09 00 01 "b" 00 01 "r" 00 00 00 00 07 00 00`,
		err: `amf0: invalid object reference 0 (table has 0) within "/messages/1/value" at offset 31`, is: ErrReference},
	{name: "§3.7 no AMF3 references across headers", hex: `00 00 00 02 00 01 "a" 00 00 00 00 00 11 06 03 "x" 00 01 "b" 00 00 00 00 00 11 06 00 00 00`,
		err: `amf3: invalid string reference 0 (table has 0) within "/headers/1/value" at offset 26`, is: ErrReference},
	{name: "§1.4 BlazeDS profile and the Flash XML capture", opts: DecOptions{Profile: ProfileBlazeDS},
		hex: `00 00 00 00 00 01 00 09 "test.avm1" 00 02 "/1" 00 00 00 4D 0A 00 00 00 01 03 00 05 "n_xml" 0F 00 00 00 2A "` + xml42 + `" 00 09 "n_xml_ref" 07 00 02 00 00 09`,
		err: `amf0: invalid object reference 2 (table has 2) within "/messages/0/value/0/n_xml_ref" at offset 97`, is: ErrReference},
	{name: "trailing data", hex: "00 00 00 00 00 00 05", err: "amf: 1 bytes of trailing data at offset 6", is: ErrTrailingData},
}

func TestPacketErrors(t *testing.T) {
	for _, tc := range packetErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			p, err := mustDecMode(t, tc.opts).UnmarshalPacket(data)
			if err == nil {
				t.Fatalf("UnmarshalPacket(0x%x) = %s, want error %q", data, showPacket(p), tc.err)
			}
			if p != nil {
				t.Errorf("UnmarshalPacket returned a packet with the error")
			}
			if err.Error() != tc.err {
				t.Errorf("UnmarshalPacket(0x%x) error\n  %q\nwant\n  %q", data, err.Error(), tc.err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
		})
	}
}

func TestMarshalPacketErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *Packet
		err  string
	}{
		{"value", &Packet{Messages: []Message{{Target: "t", Value: []any{make(chan int)}}}}, `amf0: value cannot be encoded: Go type chan int within "/messages/0/value/0"`},
		{"header name", &Packet{Headers: []Header{{Name: string(make([]byte, 65536))}}}, `amf0: value cannot be encoded: a member or class name longer than 65535 bytes within "/headers/0/name"`},
		{"too many messages", &Packet{Messages: make([]Message, 65536)}, `amf: value cannot be encoded: 65536 messages, more than the 65535 a packet can count within "/messages"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := MarshalPacket(tc.p)
			if err == nil || err.Error() != tc.err || out != nil {
				t.Errorf("MarshalPacket = %x, %v; want error %q", out, err, tc.err)
			}
			out, err = AppendPacket([]byte{9}, tc.p)
			if err == nil || !bytes.Equal(out, []byte{9}) {
				t.Errorf("AppendPacket = %x, %v; want dst unchanged", out, err)
			}
		})
	}
}

// Writing a version-3 request the way the brief says: each argument in
// AVMPlus inside the AMF0 strict array (§3.3).
func TestMarshalPacketAMF3Request(t *testing.T) {
	p := &Packet{Version: 3, Messages: []Message{{Target: "svc.echo", Response: "/1", Value: &Array{Dense: []any{AVMPlus{"hi"}, AVMPlus{Int(1)}}}}}}
	out, err := MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(`00 03 00 00 00 01 00 08 "svc.echo" 00 02 "/1" 00 00 00 0D 0A 00 00 00 02 11 06 05 "hi" 11 04 01`)
	if !bytes.Equal(out, want) {
		t.Fatalf("MarshalPacket = %x, want %x", out, want)
	}
}

// Players number a request's AMF0 references differently (§1.4): the
// decoder uses the numbering under which every reference resolves and no
// argument list contains itself, when exactly one does, and the encoder
// writes the same bytes back.
func TestRequestNumbering(t *testing.T) {
	file := func(name string) string {
		b, err := os.ReadFile("../testdata/numbering/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%x", b)
	}
	cases := []struct {
		name, hex           string
		unregArgs, dateRefs bool
		check               func(t *testing.T, args *Array)
	}{
		{name: "AVM1 capture: the argument array is reference 0, XML takes a slot", hex: file("avm1-xml-ref.amf"),
			check: func(t *testing.T, args *Array) {
				o := args.Dense[0].(*Object)
				if o.Members[1].Value != o.Members[0].Value {
					t.Errorf("n_xml_ref = %#v, want n_xml", o.Members[1].Value)
				}
			}},
		{name: "Red5 echo([x, x]): the argument array takes no slot", hex: file("red5-echo-shared.amf"), unregArgs: true,
			check: func(t *testing.T, args *Array) {
				inner := args.Dense[0].(*Array)
				if _, ok := inner.Dense[0].(*Object); !ok || inner.Dense[1] != inner.Dense[0] {
					t.Errorf("echo([x, x]) read as %#v", inner.Dense)
				}
			}},
		{name: "Red5 echo([d, d]): the date takes a slot", hex: file("red5-echo-date.amf"), unregArgs: true, dateRefs: true,
			check: func(t *testing.T, args *Array) {
				inner := args.Dense[0].(*Array)
				if _, ok := inner.Dense[0].(*Date); !ok || inner.Dense[1] != inner.Dense[0] {
					t.Errorf("echo([d, d]) read as %#v", inner.Dense)
				}
			}},
		{name: "PyAMF capture echo([o, o, ...])", hex: file("../pyamf/captures/default-echo_amf0_rich.request.amf"), unregArgs: true,
			check: func(t *testing.T, args *Array) {
				inner := args.Dense[0].(*Array)
				if _, ok := inner.Dense[0].(*Object); !ok || inner.Dense[1] != inner.Dense[0] {
					t.Errorf("echo([o, o, ...]) read as %#v", inner.Dense[:2])
				}
			}},
		{name: "echo({x: 1}, <reference to the argument array>)", unregArgs: true,
			hex: `00 00 00 00 00 01 00 04 "echo" 00 02 "/1" 00 00 00 16
				0A 00 00 00 02 03 00 01 "x" 00 3F F0 00 00 00 00 00 00 00 00 09 07 00 00`,
			check: func(t *testing.T, args *Array) {
				if args.Dense[1] != args.Dense[0] {
					t.Errorf("second argument %#v, want the first", args.Dense[1])
				}
			}},
		{name: "an object that contains itself is Flash's", hex: `00 00 00 00 00 01 00 04 "echo" 00 02 "/1" 00 00 00 12
				0A 00 00 00 01 03 00 04 "self" 07 00 01 00 00 09`,
			check: func(t *testing.T, args *Array) {
				if o := args.Dense[0].(*Object); o.Members[0].Value != any(o) {
					t.Errorf("o.self = %#v, want o", o.Members[0].Value)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			p, err := UnmarshalPacket(data)
			if err != nil {
				t.Fatal(err)
			}
			m := &p.Messages[0]
			if m.UnregisteredArgs != tc.unregArgs || m.DateRefs != tc.dateRefs {
				t.Errorf("numbering %s, want unregisteredArgs %v, dateRefs %v", m.Numbering(), tc.unregArgs, tc.dateRefs)
			}
			tc.check(t, m.Value.(*Array))
			if out, err := MarshalPacket(p); err != nil || !bytes.Equal(out, data) {
				t.Errorf("re-encoded %x, %v\nwant %x", out, err, data)
			}
		})
	}

	// The explicit choice: PyAMF's numbering for every request.
	data := mustHex(file("red5-echo-shared.amf"))
	m, _ := DecOptions{UnregisteredArgs: true}.DecMode()
	p, err := m.UnmarshalPacket(data)
	if err != nil || !p.Messages[0].UnregisteredArgs || p.Messages[0].DateRefs {
		t.Fatalf("UnregisteredArgs option: %v, %+v", err, p)
	}
	// A reference no numbering resolves is still an error, named as
	// Flash's numbering reads it.
	bad := mustHex(`00 00 00 00 00 01 00 04 "echo" 00 02 "/1" 00 00 00 08 0A 00 00 00 01 07 00 05`)
	if _, err := UnmarshalPacket(bad); err == nil || !strings.Contains(err.Error(), "invalid object reference 5 (table has 1)") {
		t.Errorf("unresolved reference: %v", err)
	}
}

// A reply whose value contains itself is not an argument array.
func TestReplyMayContainItself(t *testing.T) {
	data := mustHex(`00 00 00 00 00 01 00 0B "/1/onResult" 00 04 "null" 00 00 00 0F
		0A 00 00 00 02 03 00 01 "x" 00 3F F0 00 00 00 00 00 00 00 00 09 07 00 00`)
	p, err := UnmarshalPacket(data)
	if err != nil {
		t.Fatal(err)
	}
	v := p.Messages[0].Value.(*Array)
	if p.Messages[0].UnregisteredArgs || v.Dense[1] != any(v) {
		t.Errorf("reply read as PyAMF arguments: %#v", v.Dense[1])
	}
}
