package convert

import "github.com/amfcall/amfcall/internal/termsafe"

// The JSON this package writes escapes, though JSON does not require it,
// the characters a terminal or an editor would act on (review F-A): the
// rule is internal/termsafe's, shared with amf's dump.

// escapeLead says which bytes of UTF-8 text appendEscaped looks at: the
// ASCII that JSON requires escaped, and the lead bytes of terminalRune's
// characters.
var escapeLead = func() (t [256]bool) {
	for i := 0; i < 0x20; i++ {
		t[i] = true
	}
	t['"'], t['\\'], t[0xc2], t[0xe2] = true, true, true, true
	return
}()

// terminalRune is termsafe.Rune: the rune valid UTF-8 s starts with and
// its length, when it is one the output escapes; n is 0 otherwise.
func terminalRune(s []byte) (r rune, n int) { return termsafe.Rune(s) }

// isTerminalRune reports whether appendEscaped escapes r.
func isTerminalRune(r rune) bool { return termsafe.Is(r) }

// appendRuneEscape appends \uXXXX for a rune of the BMP.
func appendRuneEscape(dst []byte, r rune) []byte { return termsafe.AppendEscape(dst, r) }

// AppendTerminalSafe appends JSON text js (such as encoding/json writes)
// with the characters a terminal would act on escaped (the C1 controls,
// U+2028 and U+2029, the bidi embeddings, overrides and isolates): they
// can only be inside its strings, so the result is the same JSON value.
// Other bytes, valid UTF-8 or not, are copied as they are.
func AppendTerminalSafe(dst, js []byte) []byte { return termsafe.AppendJSON(dst, js) }
