//go:build unix

package convert

import (
	"encoding/binary"
	"runtime/debug"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// readOnlyRV17b returns a copy of data in memory that takes no writes.
func readOnlyRV17b(t testing.TB, data []byte) []byte {
	t.Helper()
	b, err := syscall.Mmap(-1, 0, len(data), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("no anonymous mapping:", err)
	}
	copy(b, data)
	if err := syscall.Mprotect(b, syscall.PROT_READ); err != nil {
		t.Skip("no mprotect:", err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(b) })
	return b[:len(data)]
}

// TestLoadWrongCountWritesNothing (rv17b): Load reads a saved reply
// whose message count is wrong (guessed, --from packet, after a PHP
// notice) without writing into its input, which may be a mapping of
// the user's file (dump gives its pages back as it goes: a count
// written there could read as the file has it again), and so does the
// value model's decode of it (wholePacket). Before, the count was
// written into the input while it was read, then given back: with an
// input that takes no writes, Load faulted.
func TestLoadWrongCountWritesNothing(t *testing.T) {
	body := amf.Message{Target: "/1/onResult", Response: "null", Value: "v"}
	pkt, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{body, body}})
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(pkt[4:], 1)
	notice := append([]byte("<b>Notice</b>: x\n"), pkt...)
	for _, tc := range []struct {
		name string
		data []byte
		in   InSpec
	}{
		{"guessed", pkt, InSpec{}},
		{"--from packet", pkt, InSpec{Kind: KindPacket, KindSet: true}},
		{"after text", notice, InSpec{}},
	} {
		ro := readOnlyRV17b(t, tc.data)
		func() {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: Load wrote into its input: %v", tc.name, r)
				}
			}()
			src, err := Load(ro, "r.amf", tc.in)
			if err != nil || src.Count == nil || src.Packet == nil || len(src.Packet.Messages) != 2 {
				t.Fatalf("%s: not read as its bytes say: %v", tc.name, err)
			}
			if err := src.wholePacket(); err != nil || len(src.Packet.Messages) != 2 {
				t.Errorf("%s: wholePacket: %v", tc.name, err)
			}
		}()
	}
}
