package convert

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// curl -i --raw shows an interim "HTTP/1.1 100 Continue" head before
// the reply's (a request with Expect: 100-continue): the chunks after
// the second head are de-chunked. They were not (the first head says
// nothing of chunks), and the packet failed at its first chunk's end.
func TestDechunkAfterInterimHead(t *testing.T) {
	p, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: strings.Repeat("x", 100)}}})
	if err != nil {
		t.Fatal(err)
	}
	msg := "HTTP/1.1 100 Continue\r\n\r\n" + left16Chunked(p, 40)
	src, err := Load([]byte(msg), "reply", InSpec{})
	if err != nil || src.Kind != KindPacket || string(src.Data) != string(p) || !src.Dechunked ||
		string(src.Skipped) != "HTTP/1.1 100 Continue\r\n\r\n"+left16Head {
		t.Fatalf("%v, kind %v, dechunked %v, skipped %q", err, src.Kind, src.Dechunked, src.Skipped)
	}
	// A 200 head is no interim one: chunks it does not announce stay.
	in := "HTTP/1.1 200 OK\r\n\r\n" + left16Chunked(p, 40)
	if out, ok, err := DechunkHTTP([]byte(in)); ok || err != nil || string(out) != in {
		t.Fatalf("200 then chunked: %v %v", ok, err)
	}
}

// A chunk size with leading zeros past 15 digits is still its number;
// one of more digits than that is too large, which says so, not that a
// hex number was expected.
func TestChunkSizeDigits(t *testing.T) {
	out, ok, err := DechunkHTTP([]byte(left16Head + "0000000000000000000003\r\nabc\r\n0\r\n\r\n"))
	if !ok || err != nil || string(out) != left16Head+"abc" {
		t.Fatalf("leading zeros: %v %v %q", ok, err, out)
	}
	_, _, err = DechunkHTTP([]byte(left16Head + "1000000000000000\r\nabc"))
	if err == nil || !strings.Contains(err.Error(), `chunk size "1000000000000000" is too large (over 15 hex digits)`) {
		t.Fatalf("16 digits: %v", err)
	}
}
