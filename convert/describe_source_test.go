package convert

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestSourceDescribeSaysEachReasonOnce checks the -v "input:" line of
// bare values: the version's reason and the kind's are each said once
// ("(from --from); as --from says" said the same twice, and "(from the
// file name); guessed from the content" read as two answers to one question).
func TestSourceDescribeSaysEachReasonOnce(t *testing.T) {
	for _, c := range []struct {
		name string
		in   InSpec
		want string
	}{
		{"x.amf0", InSpec{}, "bare AMF values, read as AMF0 (from the file name); the kind guessed from the content"},
		{"x.bin", InSpec{}, "bare AMF values, read as AMF3 (the default for bare values); the kind guessed from the content"},
		{"x.amf0", InSpec{KindSet: true, Kind: KindValue, Version: amf.AMF3}, "bare AMF values, read as AMF3 (as asked)"},
	} {
		src, err := Load([]byte{0x04, 0x01}, c.name, c.in)
		if err != nil {
			t.Fatalf("%s %+v: %v", c.name, c.in, err)
		}
		if got := src.Describe(); got != c.want {
			t.Errorf("%s %+v: Describe() = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}
