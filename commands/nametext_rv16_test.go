package commands

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// rv16Unescape reads back what nameText writes: \\, \xHH, \uHHHH and
// \UHHHHHHHH are escapes, any other backslash is itself.
func rv16Unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[i+1]]
		switch {
		case s[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case digits > 0 && i+2+digits <= len(s):
			v, err := strconv.ParseUint(s[i+2:i+2+digits], 16, 32)
			if err != nil {
				b.WriteByte(s[i])
				continue
			}
			if digits == 2 {
				b.WriteByte(byte(v))
			} else {
				b.WriteRune(rune(v))
			}
			i += 1 + digits
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// list and describe print names with escapes that read back: a name
// holding the text \x01 printed as one holding the byte 01 (and \\ as
// \\), two services in one line of the listing. A backslash that starts
// no escape (a PHP namespace) is printed as it is.
func TestNameTextReadsBack(t *testing.T) {
	names := []string{`a\x01b`, "a\x01b", `App\Service`, `\`, `a\`, "\\\x01", `\\x`, "\\\u202e", "\xff\\u0041", `\U0001F600`, "x\\\xff"}
	r := rand.New(rand.NewSource(16))
	for range 2000 {
		b := make([]byte, r.Intn(8))
		for i := range b {
			const alphabet = "\\xuU01\x01\xff\xe2\x80\xaeaA "
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		names = append(names, string(b))
	}
	seen := map[string]string{}
	for _, s := range names {
		want := strings.Join(strings.Fields(s), " ")
		got := nameText(s)
		if back := rv16Unescape(got); back != want {
			t.Fatalf("nameText(%q) = %q, which reads back as %q", s, got, back)
		}
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\x01\u202e") {
			t.Fatalf("nameText(%q) = %q", s, got)
		}
		if other, ok := seen[got]; ok && other != want {
			t.Fatalf("%q and %q both print as %q", other, want, got)
		}
		seen[got] = want
	}
	if got := nameText(`App\Service`); got != `App\Service` {
		t.Fatalf("App\\Service printed %q", got)
	}
}
