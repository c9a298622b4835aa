package convert

import (
	"strings"
	"testing"
)

// TestFLVPreviousTagSize: an FLV whose tag 0 says its data is 3 bytes
// shorter than it is used to read tag 1 from inside tag 0's end marker,
// as "type 0, 16146 bytes", and called the file cut short (exit 0, a
// warning that lied). A tag read from the wrong place is an error naming
// the PreviousTagSize that does not match; a PreviousTagSize that is
// merely wrong is a warning; an audio or video tag cut short still is
// one (TestFLVCutShort).
func TestFLVPreviousTagSize(t *testing.T) {
	good, err := FLVFromJSON([]byte(`{"flv":[{"timestamp":0,"name":"onMetaData","value":{"duration":12.5,"width":640}},` +
		`{"timestamp":1000,"name":"onCuePoint","value":{"name":"c1","time":1.0}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// Tag 0's header at 13, its 3-byte data size at 14; 52 bytes of data.
	if good[16] != 52 {
		t.Fatalf("tag 0's data size %d, want 52", good[16])
	}
	short := append([]byte(nil), good...)
	short[16] -= 3
	want := "its PreviousTagSize 2304 (at offset 73) is not the 60 bytes tag 0 took (11 + its data size 49, at offset 14)"
	for _, typed := range []bool{false, true} {
		_, warns, err := publicJSON(short, "in.flv", typed)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "unexpected EOF at offset 78") {
			t.Errorf("typed %v: error %v, warnings %q; want an error with %q", typed, err, warns, want)
		}
	}
	if _, err := ReadFLV(short); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("ReadFLV: %v, want %q", err, want)
	}
	checkFLVJSON(t, "short", short)

	// Tag 1's PreviousTagSize (at 13+11+52 = 76) says 1: read, with a warning.
	bad := append([]byte(nil), good...)
	copy(bad[76:80], []byte{0, 0, 0, 1})
	wantJSON, _, err := publicJSON(good, "in.flv", false)
	if err != nil {
		t.Fatal(err)
	}
	got, warns, err := publicJSON(bad, "in.flv", false)
	wantWarn := "in.flv: tag 1's PreviousTagSize 1 (at offset 76) is not the 63 bytes tag 0 took (11 + its data size 52); players ignore it, and an FLV written from the JSON has the right one"
	if err != nil || string(got) != string(wantJSON) || len(warns) != 1 || warns[0] != wantWarn {
		t.Errorf("wrong PreviousTagSize: %s, %v, warnings %q; want %s and %q", got, err, warns, wantJSON, wantWarn)
	}
	checkFLVJSON(t, "bad prev", bad)
	// Before the first tag: 0.
	first := append([]byte(nil), good...)
	first[12] = 7
	if _, warns, err := publicJSON(first, "in.flv", false); err != nil || len(warns) != 1 || !strings.Contains(warns[0], "tag 0's PreviousTagSize 7 (at offset 9) is not 0, as before the first tag") {
		t.Errorf("first PreviousTagSize: %v, warnings %q", err, warns)
	}
}
