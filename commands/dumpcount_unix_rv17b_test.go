//go:build unix

package commands

import (
	"encoding/binary"
	"runtime/debug"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

// TestDumpCountReadOnly (rv17b): dumpCount, which tells whether a
// packet whose count is wrong decodes with it made right, reads an
// input that takes no writes (it wrote the count into it, then gave it
// back: a page dump gave back in between read the count as the file
// has it).
func TestDumpCountReadOnly(t *testing.T) {
	body := amf.Message{Target: "/1/onResult", Response: "null", Value: "v"}
	pkt, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{body, body}})
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(pkt[4:], 1)
	b, err := syscall.Mmap(-1, 0, len(pkt), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("no anonymous mapping:", err)
	}
	defer syscall.Munmap(b)
	copy(b, pkt)
	if err := syscall.Mprotect(b, syscall.PROT_READ); err != nil {
		t.Skip("no mprotect:", err)
	}
	mode, _ := amf.DecOptions{}.DecMode()
	src := &convert.Source{Kind: convert.KindPacket, Data: b[:len(pkt)]}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("dumpCount wrote into its input: %v", r)
		}
	}()
	if fix := dumpCount(mode, src, false); fix == nil || fix.Found != 2 {
		t.Errorf("dumpCount = %v, want the message count made 2", fix)
	}
}
