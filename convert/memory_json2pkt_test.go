//go:build unix

package convert

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// TestConvertMemoryJSONPacket is TestConvertMemory for JSON to a packet
// and to a .sol (issue 7; opt-in: AMFCALL_MEMTEST=1): 100 MB of the JSON
// of a W1 reply (plain and typed, switched to AMF3 by $amf3) to a packet,
// and of a .sol holding W1 (typed, AMF0 with AMF3 inside, and AMF3), as
// "convert --to packet" and "--to sol" write them, in a child process
// whose peak resident memory must stay within the input size + 64 MB.
// (Through the value model the 186 MB plain packet peaked at 2.25 GB.)
func TestConvertMemoryJSONPacket(t *testing.T) {
	if os.Getenv("AMFCALL_MEMTEST") == "" {
		t.Skip("set AMFCALL_MEMTEST=1 to measure peak memory in a child process")
	}
	names := []string{"json-packet-to-packet", "typed-json-packet-to-packet", "typed-json-sol-to-sol", "json-sol3-to-sol"}
	runMemoryChildren(t, "TestMemoryChildJSONPacket", names)
}

func TestMemoryChildJSONPacket(t *testing.T) {
	which := os.Getenv("AMFCALL_MEMCHILD")
	if which == "" {
		t.Skip("run by TestConvertMemoryJSONPacket")
	}
	// The JSON of a small W1 packet or .sol, as convert writes it; its
	// list of objects is then repeated to 100 MB, outside the Go heap
	// (as the command maps a file).
	typed := which == "typed-json-packet-to-packet" || which == "typed-json-sol-to-sol"
	var small []byte
	var err error
	format := "packet"
	switch which {
	case "json-packet-to-packet", "typed-json-packet-to-packet":
		p := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: amftest.W1(1000)}}}}
		small, err = AppendPacket(nil, p, &Options{Typed: typed})
	default:
		format = "sol"
		s := &amf.SOL{Name: "big", Version: amf.AMF0, Members: []amf.Member{{Name: "list", Value: amf.AVMPlus{Value: amftest.W1(1000)}}}}
		if which == "json-sol3-to-sol" {
			s = &amf.SOL{Name: "big", Version: amf.AMF3, Members: []amf.Member{{Name: "list", Value: amftest.W1(1000)}}}
		}
		small, err = AppendSOL(nil, s, &Options{Typed: typed})
	}
	if err != nil {
		t.Fatal(err)
	}
	// The list: from the first '[' after the value's start to its ']',
	// which the closing of the value (and packet) follows.
	open, end := bytes.IndexByte(small, '[')+1, bytes.LastIndexByte(small, ']')
	if bytes.HasPrefix(small, []byte(`{"version"`)) {
		open = bytes.Index(small, []byte(`"value":`)) + len(`"value":`)
		open += bytes.IndexByte(small[open:], '[') + 1
		end = bytes.LastIndex(small, []byte(`]}]}`))
		if typed {
			end = bytes.LastIndex(small, []byte(`]}}]}`))
		}
	} else {
		end = bytes.LastIndex(small, []byte(`]}`))
		if typed && which == "typed-json-sol-to-sol" {
			end = bytes.LastIndex(small, []byte(`]}}`))
		}
	}
	items := small[open:end]
	mem, err := syscall.Mmap(-1, 0, 100<<20+2*len(small), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	in := append(mem[:0], small[:open]...)
	for len(in) < 100<<20 {
		if len(in) > open {
			in = append(in, ',')
		}
		in = append(in, items...)
	}
	in = append(in, small[end:]...)
	src := &Source{Name: "in.json", Kind: KindJSON, Data: in}
	var out countWriter
	ok, err := src.RenderTo(&out, Target{Format: format}, &Options{})
	if err != nil || !ok {
		t.Fatalf("RenderTo: %v, %v", ok, err)
	}
	if out.n < 20<<20 {
		t.Fatalf("only %d bytes written", out.n)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s: %d bytes of JSON, %d bytes of %s\n", which, len(in), out.n, format)
	fmt.Printf("peak %d %d\n", ru.Maxrss*1024, len(in))
}

// countWriter counts what is written to it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
