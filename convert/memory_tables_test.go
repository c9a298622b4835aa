//go:build unix

package convert

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestConvertMemoryTables is TestConvertMemory for inputs whose AMF3
// reference tables grow with them (issue 7; opt-in: AMFCALL_MEMTEST=1,
// AMFCALL_MEMKIND=a,b for some cases only): a bare array of 15 million
// inline one-letter strings (45 MB; every one a string-table entry) and
// of 5 million distinct short ones, an object of 5 million distinct
// dynamic member names, an array of 5 million objects of distinct sealed
// traits (one name each, 48 MB), to plain and typed JSON; and a JSON
// array of 5 million distinct strings to AMF3 (the Writer's string
// table). Each in a child process whose peak resident memory must stay
// within the input size + 64 MB. As amfcall convert on main: 449/444 MB
// (one-letter, plain/typed), 213/186 MB (member names), 478 MB (JSON to
// AMF3), 1.78/2.4 GB (sealed traits; then 146 MB/2.2 GB, with the
// string, traits and object tables in 2-byte entries and the typed
// writer keeping every traits). The sealed traits also behind an AMF0
// 0x11 switch, bare and as a packet's message value, as the second of
// three switches with fresh tables (amf.PacketPart.FreshSwitches), in an
// AMF3 .sol file, an AMF0 one (a switch) and AMF Socket frames (found by
// IsFrames), to typed JSON: as amfcall convert before the typed writer
// read their traits again, 2.8 GB (fresh switches), 3.0 GB (AMF3 .sol),
// 3.5 GB (AMF0 .sol) and 2.3 GB (frames; 2.5 GB when the array's frame
// comes first, which IsFrames decoded whole). And three packets of
// fresh switches with no AMF0 object, to typed JSON: the 5 million
// sealed traits' switch among 700,000 small ones (mixed, 59 MB), 5
// million switches of one distinct traits each (many, 51 MB) and 1,250
// of 4,000 each (wide, 46 MB): as amfcall convert before the writer read
// them with fresh tables whatever their traits (typedConv.freshOn),
// 130 MB (mixed, its tables spanning the switches) and 776-777 MB (a
// key kept per distinct traits).
func TestConvertMemoryTables(t *testing.T) {
	if os.Getenv("AMFCALL_MEMTEST") == "" {
		t.Skip("set AMFCALL_MEMTEST=1 to measure peak memory in a child process")
	}
	names := []string{"onechar-strings-to-json", "onechar-strings-to-typed-json",
		"distinct-strings-to-json", "distinct-strings-to-typed-json",
		"member-names-to-json", "member-names-to-typed-json",
		"sealed-traits-to-json", "sealed-traits-to-typed-json",
		"amf0-sealed-traits-to-typed-json", "packet-sealed-traits-to-typed-json",
		"fresh-packet-sealed-traits-to-typed-json", "sol-sealed-traits-to-typed-json",
		"amf0-sol-sealed-traits-to-typed-json", "frames-sealed-traits-to-typed-json",
		"mixed-fresh-packet-to-typed-json", "many-fresh-packet-to-typed-json", "wide-fresh-packet-to-typed-json",
		"json-strings-to-amf3"}
	if k := os.Getenv("AMFCALL_MEMKIND"); k != "" {
		names = strings.Split(k, ",") // some of them only
	}
	runMemoryChildren(t, "TestMemoryChildTables", names)
}

func TestMemoryChildTables(t *testing.T) {
	which := os.Getenv("AMFCALL_MEMCHILD")
	if which == "" {
		t.Skip("run by TestConvertMemoryTables")
	}
	kind, typed := strings.CutSuffix(which, "-to-typed-json")
	if !typed {
		kind = strings.TrimSuffix(strings.TrimSuffix(kind, "-to-json"), "-to-amf3")
	}
	// The input outside the Go heap, as the command maps a file.
	m, err := syscall.Mmap(-1, 0, 120<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	in := m[:0]
	name := func(i int) string { return strconv.FormatInt(int64(i), 36) }
	switch kind {
	case "onechar-strings", "distinct-strings":
		n := 15_000_000
		if kind == "distinct-strings" {
			n = 5_000_000
		}
		in = amf.AppendU29(append(in, 0x09), uint32(n)<<1|1)
		in = append(in, 0x01)
		for i := range n {
			if kind == "onechar-strings" {
				in = append(in, 0x06, 0x03, 'a')
				continue
			}
			s := name(i)
			in = amf.AppendU29(append(in, 0x06), uint32(len(s))<<1|1)
			in = append(in, s...)
		}
	case "sealed-traits", "amf0-sealed-traits", "packet-sealed-traits", "fresh-packet-sealed-traits",
		"sol-sealed-traits", "amf0-sol-sealed-traits", "frames-sealed-traits":
		body, frame := 0, 0
		switch kind {
		case "amf0-sealed-traits":
			in = append(in, 0x11)
		case "packet-sealed-traits", "fresh-packet-sealed-traits":
			// A version-3 reply of one message, its value the switch;
			// or a strict array of three switches with fresh tables
			// (amf.PacketPart.FreshSwitches), the array the second's.
			in = append(in, 0, 3, 0, 0, 0, 1, 0, 11)
			in = append(in, "/1/onResult"...)
			in = append(in, 0, 4, 'n', 'u', 'l', 'l', 0, 0, 0, 0)
			body = len(in)
			if kind == "fresh-packet-sealed-traits" {
				in = append(in, 0x0a, 0, 0, 0, 3, 0x11)
				in = append(in, sealedC("a")...)
			}
			in = append(in, 0x11)
		case "sol-sealed-traits":
			// An AMF3 .sol file: the array, then a member "n".
			in = append(in, solFile(3, nil)...)
			in = append(in, 0x0b, 'i', 't', 'e', 'm', 's')
		case "amf0-sol-sealed-traits":
			// An AMF0 one: an AMF0 typed object, then the switch.
			in = append(in, solFile(0, nil)...)
			in = append(append(in, 0, 1, 'o'), amf0Object("C", "a")...)
			in = append(in, 0, 0, 5, 'i', 't', 'e', 'm', 's', 0x11)
		case "frames-sealed-traits":
			// AMF Socket frames: the array, then a small one (found by
			// Load's detection: IsFrames).
			in = append(in, 0, 0, 0, 0)
			frame = len(in)
		}
		in = amf.AppendU29(append(in, 0x09), 5_000_000<<1|1)
		in = append(in, 0x01)
		for i := range 5_000_000 {
			s := name(i)
			in = append(in, 0x0a, 1<<4|0x03, 0x01)
			in = append(amf.AppendU29(in, uint32(len(s))<<1|1), s...)
			in = append(in, 0x01)
		}
		switch kind {
		case "fresh-packet-sealed-traits":
			in = append(append(in, 0x11), sealedC("1")...) // equal to a traits of the array
		case "sol-sealed-traits":
			in = append(in, 0, 0x03, 'n', 0x04, 0x01, 0)
		case "amf0-sol-sealed-traits":
			in = append(in, 0)
		case "frames-sealed-traits":
			binary.BigEndian.PutUint32(in[frame-4:], uint32(len(in)-frame))
			in = append(in, 0, 0, 0, 7)
			in = append(in, sealedC("1")...)
		}
		if body > 0 {
			binary.BigEndian.PutUint32(in[body-4:], uint32(len(in)-body))
		}
		if strings.Contains(kind, "sol-") {
			binary.BigEndian.PutUint32(in[2:], uint32(len(in)-6))
		}
	case "mixed-fresh-packet", "many-fresh-packet", "wide-fresh-packet":
		// A version-3 reply whose value is a strict array of 0x11
		// switches with fresh tables (amf.PacketPart.FreshSwitches):
		// mixed, 700,000 small switches (an anonymous object of a
		// distinct string and an int) with the 5 million distinct
		// sealed traits' switch in their middle; many, 5 million
		// switches of one distinct sealed traits each; wide, 1,250
		// switches of 4,000 distinct sealed traits each (5 million).
		in = append(in, 0, 3, 0, 0, 0, 1, 0, 11)
		in = append(in, "/1/onResult"...)
		in = append(in, 0, 4, 'n', 'u', 'l', 'l', 0, 0, 0, 0)
		body := len(in)
		in = freshSwitches(in, kind)
		binary.BigEndian.PutUint32(in[body-4:], uint32(len(in)-body))
	case "member-names":
		in = append(in, 0x0a, 0x0b, 0x01)
		for i := range 5_000_000 {
			s := name(i)
			in = append(amf.AppendU29(in, uint32(len(s))<<1|1), s...)
			in = append(in, 0x01)
		}
		in = append(in, 0x01)
	case "json-strings":
		in = append(in, '[')
		for i := range 5_000_000 {
			if i > 0 {
				in = append(in, ',')
			}
			in = strconv.AppendQuote(in, name(i))
		}
		in = append(in, ']')
		if len(in) > cap(m) {
			t.Fatal("the mapping is too small")
		}
		err = WriteJSONAsAMF(io.Discard, in, amf.AMF3)
		reportPeak(t, err, in)
		return
	default:
		t.Fatalf("no case %q", which)
	}
	if len(in) > cap(m) {
		t.Fatal("the mapping is too small")
	}
	if name := os.Getenv("AMFCALL_MEMSAVE"); name != "" {
		// The input only, for amfcall convert (before/after figures).
		if err := os.WriteFile(name, in, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	switch {
	case strings.Contains(kind, "packet") || strings.Contains(kind, "sol-") || kind == "frames-sealed-traits":
		src, lerr := Load(in, "big", InSpec{})
		if lerr != nil {
			t.Fatal(lerr)
		}
		if kind == "frames-sealed-traits" && src.Kind != KindSocket {
			t.Fatalf("read as %v, not as frames", src.Kind)
		}
		var ok bool
		ok, err = src.RenderTo(io.Discard, Target{Format: "json"}, &Options{Typed: typed})
		if err == nil && !ok {
			t.Fatal("RenderTo did not take the input")
		}
	case typed:
		ver := amf.AMF3
		if kind == "amf0-sealed-traits" {
			ver = amf.AMF0
		}
		var ok bool
		ok, err = writeTypedDirect(io.Discard, in, ver, &Options{Typed: true})
		if err == nil && !ok {
			t.Fatal("the direct writer did not take the input")
		}
	default:
		err = WriteAMF(io.Discard, in, amf.AMF3, &Options{})
	}
	reportPeak(t, err, in)
}

// reportPeak fails on err, else prints the child's peak resident memory
// and the input's size for runMemoryChildren.
func reportPeak(t *testing.T, err error, in []byte) {
	if err != nil {
		t.Fatal(err)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("peak %d %d\n", ru.Maxrss*1024, len(in))
}

// freshSwitches appends to in the strict array of 0x11 switches of the
// packet case kind (TestMemoryChildTables).
func freshSwitches(in []byte, kind string) []byte {
	name := func(i int) string { return strconv.FormatInt(int64(i), 36) }
	sealed := func(in []byte, s string) []byte {
		in = append(in, 0x0a, 1<<4|0x03, 0x01)
		in = append(amf.AppendU29(in, uint32(len(s))<<1|1), s...)
		return append(in, 0x01)
	}
	bigArray := func(in []byte) []byte {
		in = amf.AppendU29(append(in, 0x11, 0x09), 5_000_000<<1|1)
		in = append(in, 0x01)
		for i := range 5_000_000 {
			in = sealed(in, name(i))
		}
		return in
	}
	switch kind {
	case "mixed-fresh-packet":
		const small = 700_000
		in = binary.BigEndian.AppendUint32(append(in, 0x0a), small+1)
		for i := range small {
			if i == small/2 {
				in = bigArray(in)
			}
			// {"id": "s<i>", "n": i&63}
			s := "s" + name(i)
			in = append(in, 0x11, 0x0a, 0x0b, 0x01, 0x05, 'i', 'd', 0x06)
			in = append(amf.AppendU29(in, uint32(len(s))<<1|1), s...)
			in = append(in, 0x03, 'n', 0x04, byte(i&63), 0x01)
		}
	case "many-fresh-packet":
		in = binary.BigEndian.AppendUint32(append(in, 0x0a), 5_000_000)
		for i := range 5_000_000 {
			in = sealed(append(in, 0x11), name(i))
		}
	case "wide-fresh-packet":
		in = binary.BigEndian.AppendUint32(append(in, 0x0a), 1_250)
		for j := range 1_250 {
			in = amf.AppendU29(append(in, 0x11, 0x09), 4_000<<1|1)
			in = append(in, 0x01)
			for i := range 4_000 {
				in = sealed(in, name(j*4_000+i))
			}
		}
	}
	return in
}
