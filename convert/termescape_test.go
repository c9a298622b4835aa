package convert

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// refQuote is the JSON string every writer of this package must produce
// for valid UTF-8 s: the escapes JSON requires (\" \\ \n \r \t, other C0
// as \u00XX) and \uXXXX for the characters a terminal acts on (C1
// controls, U+2028/2029, bidi embeddings, overrides and isolates).
func refQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20, r >= 0x80 && r <= 0x9f, r >= 0x2028 && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			b.WriteString(`\u`)
			for k := 12; k >= 0; k -= 4 {
				b.WriteByte("0123456789abcdef"[r>>k&0xF])
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// A server's string holding U+009B (the 8-bit CSI, UTF-8 c2 9b) was
// written raw in the JSON on stdout, where a terminal honouring C1
// controls runs it (review F-A); C0 controls were escaped. Every string
// writer (the direct plain and typed converters, their caches of AMF3
// table strings and AMF0 names, the value model, a string streamed in
// pieces, colour) now escapes C1 controls, U+2028/2029 and the bidi
// overrides and isolates, and leaves every other character as it was.
func TestTerminalRunesEscaped(t *testing.T) {
	alphabet := []string{
		"a", "Z", " ", "é", "Â", "中", "😀", "\x1b", "\n", `"`, `\`, "\u00a0", "\u00ff",
		"\u0080", "\u009b", "\u009f", "\u0085",
		"\u2027", "\u2028", "\u2029", "\u202a", "\u202e", "\u202f", "\u2030",
		"\u2065", "\u2066", "\u2069", "\u206a", "\u2013", "\u201c", "\u20ac",
		"\u0100", "\u0800",
	}
	rng := rand.New(rand.NewSource(1))
	inputs := []string{"", "evil\u009b2Jred", "\u202egnp.exe", strings.Repeat("x", 13) + "\u0085" + strings.Repeat("y", 9)}
	for range 400 {
		var b strings.Builder
		for n := rng.Intn(40); n > 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		want := refQuote(s)
		// As a value and as a member name, twice (the second use is
		// the cached form), in AMF0 and AMF3.
		v := &amf.Array{Dense: []any{s, &amf.Object{Members: []amf.Member{{Name: "n" + s, Value: s}}}, &amf.ECMAArray{Members: []amf.Member{{Name: "k", Value: s}}}, s}}
		wantPlain := "[" + want + ",{" + refQuote("n"+s) + ":" + want + "},{\"k\":" + want + "}," + want + "]"
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			data, err := amf.Marshal(v, ver)
			if err != nil {
				t.Fatal(err)
			}
			got, err := AppendAMF(nil, data, ver, &Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSuffix(string(got), "\n"); got != wantPlain {
				t.Errorf("plain %v of %+q:\n got %s\nwant %s", ver, s, got, wantPlain)
			}
			for _, o := range []*Options{{Typed: true}, {Palette: DefaultPalette, Indent: "  "}, {Typed: true, Palette: DefaultPalette}} {
				got, err := AppendAMF(nil, data, ver, o)
				if err != nil {
					t.Fatal(err)
				}
				checkNoTerminalRunes(t, s, got)
				if !strings.Contains(string(got), want) {
					t.Errorf("%+v %v of %+q: %s lacks %s", o, ver, s, got, want)
				}
			}
		}
		// The value model (AppendValue, what the commands' own JSON uses).
		got, err := AppendValue(nil, s, &Options{})
		if got := strings.TrimSuffix(string(got), "\n"); err != nil || got != want {
			t.Errorf("AppendValue(%+q) = %s, %v; want %s", s, got, err, want)
		}
	}
}

// checkNoTerminalRunes fails when out holds a raw C1 control, line or
// paragraph separator or bidi override.
func checkNoTerminalRunes(t *testing.T, s string, out []byte) {
	t.Helper()
	for _, r := range string(out) {
		if r >= 0x80 && r <= 0x9f || r >= 0x2028 && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			t.Errorf("output for %+q holds U+%04X raw: %s", s, r, out)
			return
		}
	}
}

// A string over bigOut is streamed to the output in pieces; text that is
// not UTF-8 goes through the value model's writer: both escape too.
func TestTerminalRunesEscapedStreamedAndDecoded(t *testing.T) {
	big := strings.Repeat("ab\u009bc\u202e", bigOut/4)
	// Shifted so that the pieces of 64512 bytes would cut a C2 9B or an
	// E2 80 AE in two (a character is never cut: each piece ends on one).
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3, amf.AMF0, amf.AMF3, amf.AMF3} {
		big = "x" + big
		data, err := amf.Marshal(big, ver)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := WriteAMF(&out, data, ver, &Options{}); err != nil {
			t.Fatal(err)
		}
		if got, want := out.String(), refQuote(big); strings.TrimSpace(got) != want {
			t.Errorf("streamed %v: %d bytes, want %d; starts %q", ver, len(got), len(want), got[:min(len(got), 40)])
		}
	}
	// Bytes that are not UTF-8: plain JSON decodes them, typed JSON
	// writes them as $latin1 code points; 0x9B is U+009B either way.
	raw := append([]byte{0x06, 7}, "a\x9b\xff"...)
	for _, o := range []*Options{{}, {Typed: true}} {
		got, err := AppendAMF(nil, raw, amf.AMF3, o)
		if err != nil {
			t.Fatal(err)
		}
		checkNoTerminalRunes(t, "a\x9b\xff", got)
		if o.Typed && !bytes.Contains(got, []byte("a\\u009b\u00ff")) {
			t.Errorf("typed %s", got)
		}
	}
	// CESU-8 (a supplementary character as two 3-byte halves) is decoded
	// before it is written; the C1 control beside it is escaped.
	cesu := "\xed\xa0\xbd\xed\xb8\x80\xc2\x9b"
	data := append([]byte{0x06, byte(len(cesu)<<1 | 1)}, cesu...)
	got, err := AppendAMF(nil, data, amf.AMF3, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	var back string
	if err := json.Unmarshal(got, &back); err != nil || back != "😀\u009b" || !utf8.Valid(got) || bytes.Contains(got, []byte("\xc2\x9b")) {
		t.Errorf("CESU-8 with U+009B: %q (%q, %v)", got, back, err)
	}
}

// appendEscaped and AppendTerminalSafe take any bytes without a panic
// (typeddirect passes $-names unchecked), and for UTF-8 agree with
// refQuote; bytes of C2/E2 sequences cut at the end are copied as they are.
func TestAppendEscapedAnyBytes(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	pool := []byte{'a', '"', '\\', 0x1b, 0xc2, 0x9b, 0xa0, 0xe2, 0x80, 0x81, 0xa8, 0xae, 0xa6, 0xa9, 0xc3, 0xff}
	for range 20000 {
		b := make([]byte, rng.Intn(40))
		for i := range b {
			b[i] = pool[rng.Intn(len(pool))]
		}
		got := appendEscaped(nil, b)
		AppendTerminalSafe(nil, b)
		if utf8.Valid(b) {
			if want := refQuote(string(b)); `"`+string(got)+`"` != want {
				t.Fatalf("appendEscaped(%q) = %q, want %s", b, got, want)
			}
		}
	}
}
