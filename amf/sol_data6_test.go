package amf

import (
	"errors"
	"strings"
	"testing"
)

// TestDamagedSOLHeader: a file that starts as a .sol does (00 BF, a
// length, "TCSO") but whose fixed header bytes differ (a hand-made
// settings.sol, testdata/external/flash-permissions) fails at the byte
// that differs, saying which, alike in the value decoder, the token
// Reader and a dump, which explains the bytes before it. Before, the
// error was at offset 0 and said only "not a .sol file".
func TestDamagedSOLHeader(t *testing.T) {
	data := mustHex(`00 BF 00 00 00 22 "TCSO" 00 04 00 00 00 08 "settings" 00 00 00 03 00 08 "localFile" 02 00 06 "always" 00 07 "storage" 02 00 01 "0" 00 00 09`)
	const want = `not a .sol file (want 00 BF, a length, then "TCSO" 00 04 00 00 00 00): 08 found instead of 00 at offset 15`
	if !LooksLikeSOL(data) || IsSOL(data) {
		t.Fatalf("LooksLikeSOL %v, IsSOL %v", LooksLikeSOL(data), IsSOL(data))
	}
	_, err := UnmarshalSOL(data)
	if err == nil || !strings.HasSuffix(err.Error(), want) || !errors.Is(err, errNotSOL) {
		t.Errorf("UnmarshalSOL: %v", err)
	}
	if err := SOLError(data); err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("SOLError: %v", err)
	}
	r := NewReader(data, AMF0)
	if _, _, err := r.ReadSOLStart(); err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("ReadSOLStart: %v", err)
	}
	d := NewDump(data, DumpSOL)
	if d.Err == nil || !strings.HasSuffix(d.Err.Error(), want) {
		t.Errorf("dump: %v", d.Err)
	}
	var texts []string
	for _, rg := range d.Ranges {
		texts = append(texts, rg.Text)
	}
	if got := strings.Join(texts[:3], "|"); got != `.sol magic 00 bf|length 34|signature "TCSO" 00 04 00 00 00` {
		t.Errorf("dump ranges %q", got)
	}
	// Not a .sol by its first bytes, or too short to tell: offset 0, as
	// before, and not taken for a damaged one. (9 bytes that start as
	// a header, an AMF0 number too, are not taken for a .sol either, but
	// read as one they are one cut short: TestSOLHeaderCutShort.)
	for _, h := range []string{`00 BF 00 00 00 04 41 42 43 44`, `00 BF 00 00 00 06 "TCS"`, `01 BF 00 00 00 22 "TCSO" 00 04 00 00 00 00`} {
		b := mustHex(h)
		if _, err := UnmarshalSOL(b); err == nil || !strings.HasSuffix(err.Error(), "00 00 00 00) at offset 0") && !strings.Contains(h, "TCS\"") {
			t.Errorf("%s: %v", h, err)
		}
		if LooksLikeSOL(b) {
			t.Errorf("%s: LooksLikeSOL", h)
		}
	}
	// The body without the first 6 bytes, as a private server's launcher
	// writes CORE5.sol (testdata/external/lexia).
	headless := mustHex(`"TCSO" 00 04 00 00 00 00 00 05 "CORE5" 00 00 00 00`)
	if _, err := UnmarshalSOL(headless); !LooksLikeSOL(headless) || err == nil || !strings.HasSuffix(err.Error(), "00 00 00 00): it starts with the signature, whose place is after 00 BF and the length: its first 6 bytes are missing at offset 0") {
		t.Errorf("without its first 6 bytes: LooksLikeSOL %v, %v", LooksLikeSOL(headless), err)
	}
	if LooksLikeSOL(mustHex(`00 BF 00 00 00 1C "TCSO" 00 04 00 00 00 00 00 01 "s" 00 00 00 03`)) {
		t.Error("a .sol LooksLikeSOL (damaged)")
	}
}
