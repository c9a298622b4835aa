package gateway

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func TestDiscover(t *testing.T) {
	g, err := New(Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	resp := g.Handle(nil, &amf.Packet{Messages: []amf.Message{
		{Target: "amfcall.discover", Response: "/1", Value: &amf.Array{}},
		{Target: "amfcall.discover", Response: "/2", Value: &amf.Array{Dense: []any{1.0}}},
	}})
	if len(resp.Messages) != 2 || resp.Messages[0].Target != "/1/onResult" || resp.Messages[1].Target != "/2/onStatus" {
		t.Fatalf("reply %+v", resp.Messages)
	}
	// The reply goes through the codec: encode it and read it back.
	b, err := amf.MarshalPacket(resp)
	if err != nil {
		t.Fatal(err)
	}
	p, err := amf.UnmarshalPacket(b)
	if err != nil {
		t.Fatal(err)
	}
	svcs := amf.Unwrap(p.Messages[0].Value).(*amf.Array).Dense
	var names []string
	for _, s := range svcs {
		n, _ := s.(*amf.Object).Get("name")
		names = append(names, n.(string))
	}
	if want := []string{"", "ByteArray", "amfcall", "echo", "secure", "session"}; len(names) != len(want) || names[1] != want[1] || names[4] != want[4] {
		t.Errorf("services %q, want %q", names, want)
	}
	ba := svcs[1].(*amf.Object)
	ms, _ := ba.Get("methods")
	save := amf.Unwrap(ms).(*amf.Array).Dense[1].(*amf.Object)
	name, _ := save.Get("name")
	params, _ := save.Get("params")
	ps := amf.Unwrap(params).(*amf.Array).Dense
	p0, _ := ps[0].(*amf.Object).Get("type")
	if name != "saveSnapshot" || len(ps) != 2 || p0 != "ByteArray" {
		t.Errorf("ByteArray.saveSnapshot described as %+v", save)
	}
	f := amf.Unwrap(p.Messages[1].Value).(*amf.Object)
	if d, _ := f.Get("description"); d != "discover() takes no arguments (1 given)" {
		t.Errorf("fault %+v", f)
	}
}
