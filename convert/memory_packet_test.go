//go:build unix

package convert

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// TestConvertMemoryPacket is TestConvertMemory for remoting packets
// (issue 7; opt-in: AMFCALL_MEMTEST=1): a 100 MB reply whose one
// message holds W1 (1.8 million objects) through the 0x11 switch, to
// plain and to typed JSON as "amfcall convert" does it (Load, then
// RenderTo), in a child process whose peak resident memory must stay
// within the input size + 64 MB. (Through the value model a 56 MB one
// peaked at 1.56 GB plain, 2.03 GB typed.) The same for a 100 MB .sol
// file, and for version-3 replies whose value is a strict array of W1
// items each switched to AMF3 (writeSwitchedPacket), 103 MB with
// references across the switches and 99 MB without. (Before ScanPacket
// took CrossEscapeRefs from the token Reader and the writers let go of
// each switch's tables where nothing refers back: 1.31 GB peak plain and
// 1.34 GB typed for the first, 2.22 GB and 3.12 GB for the second, as
// amfcall convert; now 122-140 MB here.) And the 99 MB one without
// references across switches plus one item more, the first item's
// object again (an object reference back: plain JSON reads it again
// with the first switch's tables, rebuilt): 1.44 GB plain as amfcall
// convert before the Reader's SwitchReplay (typed 134 MB), 138 MB here.
// The switch marks then took 16 bytes a switch, 8 since (markEntry):
// 130 MB. And two shapes of issue 7's last stop: a 92 MB batch whose
// every switch refers to the previous switch's object
// (make-switched-chain; typed 161 MB before typedIDs, over its bound,
// 129 MB after; plain 147-152 MB with 16-byte marks, 137 MB with 8),
// and a hostile 45 MB one whose 20,000 references go round 400
// switches of 40,000 strings each (make-switched-hostile: plain JSON
// read again each reference's switch and then kept every table, 743 MB
// as amfcall convert; now it stops with amf.SwitchReplayError at 87 MB;
// typed JSON converts it in 58 MB).
func TestConvertMemoryPacket(t *testing.T) {
	if os.Getenv("AMFCALL_MEMTEST") == "" {
		t.Skip("set AMFCALL_MEMTEST=1 to measure peak memory in a child process")
	}
	// Made by a child of its own: a child's peak counts its parent's
	// memory at the fork (Linux keeps the high-water mark across exec).
	name := t.TempDir() + "/big.amfpkt"
	cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryChildPacket$")
	cmd.Env = append(os.Environ(), "AMFCALL_MEMCHILD=make-packet", "AMFCALL_MEMPACKET="+name)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making the packet: %v\n%s", err, out)
	}
	t.Setenv("AMFCALL_MEMPACKET", name)
	// And a 100 MB .sol file of W1 (AMF3, one member of 1.8 million
	// objects), to plain and typed JSON.
	solName := t.TempDir() + "/big.sol"
	cmd = exec.Command(os.Args[0], "-test.run=^TestMemoryChildPacket$")
	cmd.Env = append(os.Environ(), "AMFCALL_MEMCHILD=make-sol", "AMFCALL_MEMPACKET="+solName)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making the .sol file: %v\n%s", err, out)
	}
	runMemoryChildren(t, "TestMemoryChildPacket", []string{"packet-to-json", "packet-to-typed-json"})
	t.Setenv("AMFCALL_MEMPACKET", solName)
	runMemoryChildren(t, "TestMemoryChildPacket", []string{"sol-to-json", "sol-to-typed-json"})
	kinds := []string{"make-switched-cross", "make-switched", "make-switched-refback", "make-switched-chain", "make-switched-hostile"}
	if k := os.Getenv("AMFCALL_MEMKIND"); k != "" {
		kinds = strings.Split(k, ",") // some of them only
	}
	for _, kind := range kinds {
		name := t.TempDir() + "/switched.amfpkt"
		cmd = exec.Command(os.Args[0], "-test.run=^TestMemoryChildPacket$")
		cmd.Env = append(os.Environ(), "AMFCALL_MEMCHILD="+kind, "AMFCALL_MEMPACKET="+name)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("making the switched packet: %v\n%s", err, out)
		}
		t.Setenv("AMFCALL_MEMPACKET", name)
		t.Run(kind, func(t *testing.T) {
			if kind == "make-switched-hostile" {
				// Plain JSON stops with the Reader's error.
				t.Setenv("AMFCALL_MEMWANT", "switch-replay")
			}
			runMemoryChildren(t, "TestMemoryChildPacket", []string{"packet-to-json", "packet-to-typed-json"})
		})
		os.Remove(name)
	}
}

func TestMemoryChildPacket(t *testing.T) {
	which := os.Getenv("AMFCALL_MEMCHILD")
	if which == "" {
		t.Skip("run by TestConvertMemoryPacket")
	}
	var in []byte
	var err error
	switch which {
	case "make-packet":
		writeW1Packet(t, os.Getenv("AMFCALL_MEMPACKET"))
		return
	case "make-switched-cross":
		writeSwitchedPacket(t, os.Getenv("AMFCALL_MEMPACKET"), 1_800_000, true, false)
		return
	case "make-switched":
		writeSwitchedPacket(t, os.Getenv("AMFCALL_MEMPACKET"), 700_000, false, false)
		return
	case "make-switched-refback":
		writeSwitchedPacket(t, os.Getenv("AMFCALL_MEMPACKET"), 700_000, false, true)
		return
	case "make-switched-chain":
		b, err := amf.MarshalPacket(amftest.SwitchedChain(650_000))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(os.Getenv("AMFCALL_MEMPACKET"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	case "make-switched-hostile":
		b := amftest.SwitchedRoundRobin(400, 40_000, 20_000)
		if err := os.WriteFile(os.Getenv("AMFCALL_MEMPACKET"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	case "make-sol":
		b, err := amf.MarshalSOL(&amf.SOL{Name: "big", Version: amf.AMF3, Members: []amf.Member{{Name: "items", Value: amftest.W1(1_800_000)}, {Name: "n", Value: amf.Int(1)}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(os.Getenv("AMFCALL_MEMPACKET"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	case "packet-to-json", "packet-to-typed-json", "sol-to-json", "sol-to-typed-json":
		// The packet is made by the parent into a file and mapped here,
		// as amfcall maps its input: the peak is the conversion's, not
		// the marshalling's.
		in = packetInput(t)
		o := &Options{Typed: strings.HasSuffix(which, "typed-json")}
		src, lerr := Load(in, "big", InSpec{})
		if lerr != nil {
			t.Fatal(lerr)
		}
		var ok bool
		ok, err = src.RenderTo(io.Discard, Target{Format: "json"}, o)
		if err == nil && !ok {
			t.Fatal("RenderTo did not take the input")
		}
		if os.Getenv("AMFCALL_MEMWANT") == "switch-replay" && !o.Typed {
			if !errors.As(err, new(*amf.SwitchReplayError)) {
				t.Fatalf("plain JSON: %v, want an amf.SwitchReplayError", err)
			}
			err = nil
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("peak %d %d\n", ru.Maxrss*1024, len(in))
}

// packetInput is the 100 MB W1 reply, made once per test binary run into
// a file and mapped, as amfcall maps its input (outside the Go heap).
func packetInput(t *testing.T) []byte {
	name := os.Getenv("AMFCALL_MEMPACKET")
	if name == "" {
		t.Fatal("AMFCALL_MEMPACKET not set")
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writeW1Packet writes the 100 MB W1 reply to the file name.
func writeW1Packet(t *testing.T, name string) {
	p := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: amftest.W1(1_800_000)}}}}
	b, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeSwitchedPacket writes to the file name a version-3 reply whose
// value is an AMF0 strict array of the n items of W1 (1.8 million: 103
// MB with cross, 256 MB without), each switched to
// AMF3 with its own 0x11 marker, as BlazeDS and Flash write a batch;
// with cross, the AMF3 strings and traits of each item refer to the
// entries of the earlier switches (CrossEscapeRefs, as BlazeDS writes
// them), else each switch writes them inline again. With refBack, one
// item more: the first item's object again, which the encoder writes as
// a reference to the first switch's object (amf.PacketPart.RefsBack:
// plain JSON reads it again with the first switch's tables).
func writeSwitchedPacket(t *testing.T, name string, n int, cross, refBack bool) {
	items := amftest.W1(n).Dense
	if refBack {
		items = append(items, items[0])
	}
	for i, v := range items {
		items[i] = amf.AVMPlus{Value: v}
	}
	p := &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: &amf.Array{Dense: items}, CrossEscapeRefs: cross}}}
	b, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
