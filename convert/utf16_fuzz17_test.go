package convert

import (
	"bytes"
	"testing"
)

// TestUTF16NoMarkDEL (fuzz17, FuzzUTF16NoMarkJSON's 5e97fb13888bc5c0):
// DEL (U+007F) in a JSON string is JSON, in UTF-8 and in UTF-16 without
// a byte order mark alike; the UTF-16 text was refused as UTF-16 (taken
// for a control character) and read as bare AMF3 values.
func TestUTF16NoMarkDEL(t *testing.T) {
	for _, s := range []string{"\"\x7f\"", "{\"name\": \"a\x7fb\"}"} {
		want, err := Load([]byte(s), "in", InSpec{})
		if err != nil || want.Kind != KindJSON {
			t.Fatalf("%q in UTF-8: %v, %v", s, want.Kind, err)
		}
		wt, _ := want.Target(OutSpec{})
		wb, err := want.Render(wt, &Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, be := range []bool{false, true} {
			got, err := Load(utf16NoBOM(s, be), "in", InSpec{})
			if err != nil || got.Kind != KindJSON || !got.UTF16 {
				t.Fatalf("%q in UTF-16 (big-endian %v, no mark): %s, %v", s, be, srcSummary(got), err)
			}
			gt, _ := got.Target(OutSpec{})
			if gb, err := got.Render(gt, &Options{}); err != nil || !bytes.Equal(gb, wb) || gt != wt {
				t.Fatalf("%q in UTF-16 (big-endian %v): %x (%v), UTF-8 gives %x", s, be, gb, err, wb)
			}
		}
	}
	// Outside a string DEL is no JSON: not taken for UTF-16 JSON.
	if _, _, ok := decodeUTF16Text(utf16NoBOM("[1,\x7f]", false)); ok {
		t.Fatal("[1,DEL] taken for UTF-16 JSON")
	}
}

// TestUTF16NoMarkStringFirstChar (fuzz17, FuzzUTF16NoMarkJSON's
// 91c1d4f9ed54bf8d): a JSON string whose first character is not ASCII,
// in UTF-16 with no mark, is JSON: its second character has no zero
// byte ("\u0788" is 00 22 07 88 00 22), which the rule of the first two
// characters' zero bytes asked for.
func TestUTF16NoMarkStringFirstChar(t *testing.T) {
	for _, s := range []string{"\"\u0788\"", "\"\u00f1and\u00fa\"", " \"\U0001F600\"\r\n"} {
		for _, be := range []bool{false, true} {
			got, err := Load(utf16NoBOM(s, be), "in", InSpec{})
			if err != nil || got.Kind != KindJSON || !got.UTF16 || string(got.Data) != s {
				t.Fatalf("%q in UTF-16 (big-endian %v, no mark): %s, %q, %v", s, be, srcSummary(got), got.Data, err)
			}
		}
	}
}
