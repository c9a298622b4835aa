//go:build unix

package client

import (
	"fmt"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/readonlymem"
)

// TestRecountWritesNothing (rv17b): a reply whose message count is
// wrong, alone or after a PHP notice, with an arena or without, is read
// as its bytes say without writing into the reply (held here in memory
// that takes no writes): the count is made right in the decoder. Before,
// it was written into the reply while it was read, then given back.
func TestRecountWritesNothing(t *testing.T) {
	body := amf.Message{Target: "/1/onResult", Response: "null", Value: "v"}
	bad := replyBytes(t, &amf.Packet{Messages: []amf.Message{body, body}}, 1)
	notice := append([]byte("<b>Notice</b>: x\n"), bad...)
	for _, data := range [][]byte{bad, notice} {
		ro := readonlymem.Copy(t, data)
		for _, arena := range []bool{false, true} {
			c := newClient(t, "http://127.0.0.1:1/", Config{})
			if arena {
				c.arena = c.dec.NewArena()
			} else {
				c.arena = nil
			}
			readonlymem.NoWrite(t, fmt.Sprintf("%d bytes, arena %v: reading the reply", len(data), arena), func() {
				p, err := c.unmarshalReply(ro)
				if len(data) != len(bad) {
					_, p, err = c.findPacket(ro) // (Send's path)
				}
				if err != nil || p == nil || len(p.Messages) != 2 {
					t.Errorf("%d bytes, arena %v: not read: %v", len(data), arena, err)
				}
			})
		}
	}
}
