package convert

import (
	"strings"
	"testing"
)

// BenchmarkAppendEscaped measures the JSON string escaper on text that is
// not plain ASCII (the plain ASCII of W1 takes plainASCII's path):
// accented Latin, typographic quotes and dashes (lead byte 0xE2, which
// the escaper now looks at for U+2028/2029 and the bidi controls) and CJK.
func BenchmarkAppendEscaped(b *testing.B) {
	for _, tc := range []struct{ name, unit string }{
		{"latin", "Un café à la crème, s'il vous plaît; déjà vu. "},
		{"quotes", "He said \u201chello\u201d \u2013 and left\u2026 "},
		{"cjk", "日本語のテキストと中文文本。"},
	} {
		s := []byte(strings.Repeat(tc.unit, 64<<10/len(tc.unit)))
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			dst := make([]byte, 0, 2*len(s))
			for b.Loop() {
				dst = appendEscaped(dst[:0], s)
			}
		})
	}
}
