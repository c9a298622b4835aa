package client

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestHeadersPastCountLeft17: a reply of 65,536 headers under a header
// count of 1 fails (no count can say so many), naming the headers and
// where they end, not only a header's bytes read as a body
// ("/messages/1/value at offset 45599", sec17).
func TestHeadersPastCountLeft17(t *testing.T) {
	s := func(x string) []byte { return append(binary.BigEndian.AppendUint16(nil, uint16(len(x))), x...) }
	body := append(append(s("/1/onResult"), s("null")...), 0, 0, 0, 5, 2, 0, 2, 'o', 'k')
	hdr := append(append(s("AppendToGatewayUrl"), 0, 0, 0, 0, 7, 2), s("?x=1")...)
	b := append(append(append([]byte{0, 0, 0, 1}, bytes.Repeat(hdr, 65536)...), 0, 1), body...)
	c := newClient(t, "http://127.0.0.1:1/", Config{})
	_, err := c.unmarshalReply(b)
	var he *amf.HeaderCountError
	if !errors.As(err, &he) || he.Said != 1 || he.Held != 65536 || he.End != int64(4+32*65536) {
		t.Fatalf("error %v", err)
	}
}
