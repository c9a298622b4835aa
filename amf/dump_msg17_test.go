package amf

import (
	"os"
	"strings"
	"testing"
)

// TestDumpFlexFieldNotes: a small message's 16-byte ids are shown with
// the UUID they hold (as convert and BlazeDS show them, §4.6), and a
// CommandMessage's operation (DSC or the standard form) with its name
// (§4.4), in the ranges both dumps print.
func TestDumpFlexFieldNotes(t *testing.T) {
	texts := func(data []byte) string {
		var b strings.Builder
		for _, r := range NewDump(data, DumpAMF3).Ranges {
			b.WriteString(r.Text + "\n")
		}
		return b.String()
	}
	dsk, err := os.ReadFile("../testdata/public/qdac/dsk.amf3")
	if err != nil {
		t.Fatal(err)
	}
	got := texts(dsk)
	for _, want := range []string{
		"16 bytes of data: UUID D8F575FF-F91B-00E8-0AED-8C9B276F85EC\n",
		"16 bytes of data: UUID 4C0C3455-D523-B484-11A8-7EF7BA756F7E\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("DSK dump lacks %q:\n%s", want, got)
		}
	}

	id := []byte{0xD8, 0xF5, 0x75, 0xFF, 0xF9, 0x1B, 0, 0xE8, 0x0A, 0xED, 0x8C, 0x9B, 0x27, 0x6F, 0x85, 0xEC}
	dsc, err := Marshal(&Object{Class: ClassDSC, Members: []Member{
		{Name: "clientIdBytes", Value: &ByteArray{Data: id}},
		{Name: "operation", Value: Int(2)},
	}}, AMF3)
	if err != nil {
		t.Fatal(err)
	}
	got = texts(dsc)
	for _, want := range []string{
		`"clientIdBytes": bytearray: U29 21 = inline, 16 bytes`,
		"16 bytes of data: UUID D8F575FF-F91B-00E8-0AED-8C9B276F85EC\n",
		`"operation": integer 2 (U29 02: poll)` + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("DSC dump lacks %q:\n%s", want, got)
		}
	}

	// The standard form, an unknown operation, and fields that are not
	// a Flex message's: no note.
	cmd, err := Marshal(&Object{Class: ClassCommandMessage, Members: []Member{{Name: "operation", Value: Int(8)}}}, AMF3)
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(cmd); !strings.Contains(got, `"operation": integer 8 (U29 08: login)`+"\n") {
		t.Errorf("CommandMessage dump:\n%s", got)
	}
	odd, _ := Marshal(&Object{Class: ClassDSC, Members: []Member{{Name: "operation", Value: Int(77)}}}, AMF3)
	if got := texts(odd); !strings.Contains(got, `"operation": integer 77 (U29 4d: not an operation Flex defines)`+"\n") {
		t.Errorf("DSC op 77 dump:\n%s", got)
	}
	for _, v := range []*Object{
		{Class: "com.acme.Job", Members: []Member{{Name: "operation", Value: Int(5)}, {Name: "clientIdBytes", Value: &ByteArray{Data: id}}}},
		{Class: ClassRemotingMessage, Members: []Member{{Name: "operation", Value: Int(5)}}},
	} {
		b, err := Marshal(v, AMF3)
		if err != nil {
			t.Fatal(err)
		}
		if got := texts(b); strings.Contains(got, "ping") || strings.Contains(got, "UUID") {
			t.Errorf("%s annotated:\n%s", v.Class, got)
		}
	}
}
