//go:build unix

package convert

import (
	"encoding/binary"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestConvertMemoryErrpath is TestConvertMemory for input that fails to
// decode (issue 7: input + 64 MB for any input; opt-in: AMFCALL_MEMTEST=1,
// AMFCALL_MEMKIND=a,b for some cases only): 3 AMF3 arrays of 6 M empty
// sealed objects, 18 M object-table entries where the limit is
// 16,777,216 (37.7 MB), as bare AMF3 to plain and typed JSON, behind the
// 0x11 switch as bare AMF0, as a reply packet's value (guessed and asked
// for, and after some text, which FindPacket looks past), as a .sol
// file's value; and a 50 MB capture of AMF Socket frames
// of 6 M objects each whose fourth frame is cut. Each in a child process
// that converts as "amfcall convert" does (Load, RenderTo, else Render),
// wants the error, and whose peak resident memory must stay within the
// input size + 64 MB. As amfcall convert on main: 145 MB plain, 1.78 GB
// typed, 1.79 GB AMF0, 1.96 GB packet, 1.03/3.96 GB frames plain/typed.
func TestConvertMemoryErrpath(t *testing.T) {
	if os.Getenv("AMFCALL_MEMTEST") == "" {
		t.Skip("set AMFCALL_MEMTEST=1 to measure peak memory in a child process")
	}
	names := []string{"objs-amf3-to-json", "objs-amf3-to-typed-json",
		"objs-amf0-switch-to-json", "objs-amf0-switch-to-typed-json",
		"objs-packet-to-json", "objs-packet-asked-to-typed-json", "objs-packet-after-text-to-json",
		"objs-sol-to-json", "objs-frames-to-json", "objs-frames-to-typed-json"}
	if k := os.Getenv("AMFCALL_MEMKIND"); k != "" {
		names = strings.Split(k, ",") // some of them only
	}
	runMemoryChildren(t, "TestMemoryChildErrpath", names)
}

// appendObjs appends an AMF3 array of n empty sealed objects (the first
// inline traits, then references to them): 2 bytes an object table entry.
func appendObjs(in []byte, n int) []byte {
	in = amf.AppendU29(append(in, 0x09), uint32(n)<<1|1)
	in = append(in, 0x01, 0x0a, 0x03, 0x01)
	for range n - 1 {
		in = append(in, 0x0a, 0x01)
	}
	return in
}

func TestMemoryChildErrpath(t *testing.T) {
	which := os.Getenv("AMFCALL_MEMCHILD")
	if which == "" {
		t.Skip("run by TestConvertMemoryErrpath")
	}
	kind, typed := strings.CutSuffix(which, "-to-typed-json")
	if !typed {
		kind = strings.TrimSuffix(kind, "-to-json")
	}
	// The input outside the Go heap, as the command maps a file.
	m, err := syscall.Mmap(-1, 0, 64<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	const n = 6 << 20
	objs := func(in []byte) []byte { // 18 M objects: over the limit
		in = append(in, 0x09, 3<<1|1, 0x01)
		for range 3 {
			in = appendObjs(in, n)
		}
		return in
	}
	in := m[:0]
	name, spec := "big", InSpec{}
	want := "reference table exceeds the limit of 16777216 entries"
	switch kind {
	case "objs-amf3":
		name = "big.amf3"
		in = objs(in)
	case "objs-amf0-switch":
		spec = InSpec{Kind: KindValue, KindSet: true, Version: amf.AMF0}
		in = objs(append(in, 0x11))
	case "objs-packet", "objs-packet-asked", "objs-packet-after-text":
		if kind == "objs-packet-after-text" {
			// As a PHP gateway's notice before its reply (FindPacket).
			in = append(in, "Notice: undefined index\n"...)
			want = "amf3: unknown or invalid marker 0x4e at offset 0"
		}
		// A version-3 reply of one message, its value the switch.
		in = append(in, 0, 3, 0, 0, 0, 1, 0, 11)
		in = append(in, "/1/onResult"...)
		in = append(in, 0, 4, 'n', 'u', 'l', 'l', 0, 0, 0, 0, 0x11)
		body := len(in) - 1
		in = objs(in)
		binary.BigEndian.PutUint32(in[body-4:], uint32(len(in)-body))
		if kind == "objs-packet-asked" {
			spec = InSpec{Kind: KindPacket, KindSet: true}
		}
	case "objs-sol":
		in = append(in, 0x00, 0xBF, 0, 0, 0, 0, 'T', 'C', 'S', 'O', 0, 4, 0, 0, 0, 0, 0, 1, 's', 0, 0, 0, 3, 0x03, 'k')
		in = append(objs(in), 0)
		binary.BigEndian.PutUint32(in[2:], uint32(len(in)-6))
	case "objs-frames":
		// 3 frames of 6 M objects (tables of their own: within the
		// limit), then a fourth cut short inside its value.
		spec = InSpec{Kind: KindSocket, KindSet: true}
		for i := range 4 {
			at := len(in)
			in = appendObjs(append(in, 0, 0, 0, 0), n)
			if i == 3 {
				in = in[:len(in)-5]
			}
			binary.BigEndian.PutUint32(in[at:], uint32(len(in)-at-4))
		}
		want = "frame 4 at offset"
	default:
		t.Fatalf("no case %q", which)
	}
	if len(in) > cap(m) {
		t.Fatal("the mapping is too small")
	}
	err = convertErr(in, name, spec, typed)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want the error %q, got %v", want, err)
	}
	reportPeak(t, nil, in)
}
