package client

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzFlexReply feeds any AMF3 value to what reads a Flex reply: the
// acknowledgement check, the result, the fault and the poll reply. None
// may panic, and a poll gives only Flex messages.
func FuzzFlexReply(f *testing.F) {
	for _, s := range []string{digestDSKHex} {
		f.Add(digestHex(f, s))
	}
	for _, name := range []string{"flex_ping", "flex_remoting", "flex_fail"} {
		p, err := amf.UnmarshalPacket(loadCapture(f, name).response)
		if err != nil {
			f.Fatal(err)
		}
		b, err := amf.Marshal(amf.Unwrap(p.Messages[0].Value), amf.AMF3)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	sync, _ := amf.Marshal(&amf.Object{Class: amf.ClassDSC, Members: []amf.Member{
		{Name: "body", Value: &amf.Array{Dense: []any{&amf.Object{Class: amf.ClassDSA, Members: []amf.Member{{Name: "body", Value: "x"}}}, 1.5}}},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSPollWait", Value: -1.0}}}},
		{Name: "operation", Value: amf.Int(OpClientSync)},
	}}, amf.AMF3)
	f.Add(sync)
	dec, err := amf.DecOptions{MaxDepth: 32, MaxElements: 1 << 12, MaxLength: 1 << 16, MaxReferences: 1 << 12}.DecMode()
	if err != nil {
		f.Fatal(err)
	}
	c, err := New("http://127.0.0.1:1/", Config{Flex: true})
	if err != nil {
		f.Fatal(err)
	}
	req := c.remotingMessage(Call{Target: "d.op"}, "nil", DefaultFlexEndpoint)
	sub := &Subscription{c: c, ID: "ID"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := dec.Unmarshal(data, amf.AMF3, &v); err != nil {
			return
		}
		_ = c.flexResult(req, v)
		_ = NewFault("d.op", "/1", v).Error()
		o, ok := amf.Unwrap(v).(*amf.Object)
		if !ok {
			return
		}
		c.noteAck(req, o)
		if id := c.DSId(); id != "nil" && !flexID(id) {
			t.Errorf("kept the DSId %q", id)
		}
		msgs, wait := sub.messagesOf(o)
		if wait < minPollWait || wait > maxPollWait {
			t.Errorf("wait %v out of bounds", wait)
		}
		for _, m := range msgs {
			if !amf.IsFlexMessage(m.Class) {
				t.Errorf("poll gave a %s", m.Class)
			}
		}
	})
}
