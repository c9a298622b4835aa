package convert

import (
	"io"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// packetJSONBench returns the JSON (plain or typed) of a version 3
// request packet whose arguments hold W1(n), with a header: n = 10 is a
// few KB, the common case.
func packetJSONBench(b *testing.B, n int, typed bool) []byte {
	p := &amf.Packet{Version: 3,
		Headers: []amf.Header{{Name: "Credentials", Value: &amf.Object{Members: []amf.Member{{Name: "userid", Value: "u"}, {Name: "password", Value: "p"}}}}},
		Messages: []amf.Message{{Target: "catalog.save", Response: "/1",
			Value: &amf.Array{Dense: []any{amf.AVMPlus{Value: amftest.W1(n)}, amf.AVMPlus{Value: "x"}, amf.AVMPlus{Value: amf.Int(42)}}}}},
	}
	raw, err := amf.MarshalPacket(p)
	if err != nil {
		b.Fatal(err)
	}
	if p, err = amf.UnmarshalPacket(raw); err != nil {
		b.Fatal(err)
	}
	j, err := AppendPacket(nil, p, &Options{Typed: typed})
	if err != nil {
		b.Fatal(err)
	}
	return j
}

// benchPacketJSON converts data by way (model: PacketFromJSON and
// MarshalPacket; direct: AppendPacketJSON, one pass; counted:
// WritePacketJSON counted first, as a large input is).
func benchPacketJSON(b *testing.B, data []byte, way string) {
	if way == "counted" {
		defer func(n int) { onePassPacket = n }(onePassPacket)
		onePassPacket = 0
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		switch way {
		case "model":
			_, err = appendPacketModel(nil, data, nil)
		case "direct":
			_, err = AppendPacketJSON(nil, data)
		case "counted":
			err = WritePacketJSON(io.Discard, data)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPacketJSON_Small_Plain_Model(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 10, false), "model")
}
func BenchmarkPacketJSON_Small_Plain_Direct(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 10, false), "direct")
}
func BenchmarkPacketJSON_Small_Typed_Model(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 10, true), "model")
}
func BenchmarkPacketJSON_Small_Typed_Direct(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 10, true), "direct")
}
func BenchmarkPacketJSON_W1_Plain_Model(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 1000, false), "model")
}
func BenchmarkPacketJSON_W1_Plain_Direct(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 1000, false), "direct")
}
func BenchmarkPacketJSON_W1_Plain_Counted(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 1000, false), "counted")
}
func BenchmarkPacketJSON_W1_Typed_Model(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 1000, true), "model")
}
func BenchmarkPacketJSON_W1_Typed_Direct(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 1000, true), "direct")
}
func BenchmarkPacketJSON_W1_Typed_Counted(b *testing.B) {
	benchPacketJSON(b, packetJSONBench(b, 1000, true), "counted")
}
