package commands

import (
	"strings"
	"testing"
)

// TestBatchWarningsPerCall: a batch's warnings are summed over calls,
// not over one call's paths. A result holding two cycles ("/result/0"
// and "/result/1") gave the first only, then said "the warning of a.one
// (/1) holds for 1 more call too: a.one (/1)", a call counted as
// another and the second cycle's path lost.
func TestBatchWarningsPerCall(t *testing.T) {
	t.Parallel()
	self := func(ref byte) []byte { // an AMF0 object whose "self" is itself
		return dvCat([]byte{0x03}, dvStr("self"), []byte{0x07, 0, ref}, []byte{0, 0, 9})
	}
	// Per body: the strict array is reference 0, its objects 1 and 2.
	twoCycles := dvCat([]byte{0x0A, 0, 0, 0, 2}, self(1), self(2))
	url := deviantGateway(t, map[string]deviantReply{
		"cycles": dvReply(dvPacket(0, 0, nil, 2, dvBody("/1/onResult", twoCycles), dvBody("/2/onResult", twoCycles))),
	})
	batch := `{"target":"a.one","args":[1]}` + "\n" + `{"target":"a.two","args":[2]}` + "\n"
	_, stderr, code := run(t, []string{"call", "--compact", "--batch", "-", url + "/cycles"}, batch, nil, false)
	for _, w := range []string{
		`warning: a.one (/1): cycle: the value at "/result/0" contains itself`,
		`warning: a.one (/1): cycle: the value at "/result/1" contains itself`,
		"warning: the warning of a.one (/1) holds for 1 more call too: a.two (/2)\n",
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q", w)
		}
	}
	if code != 0 || strings.Contains(stderr, "too: a.one") || strings.Count(stderr, "holds for") != 1 {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}
