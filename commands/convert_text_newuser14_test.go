package commands

import (
	"os"
	"strings"
	"testing"
)

// PyAMF's answer to a request it cannot read is the text "400 Bad
// Request ...". convert guessed it was JSON (it starts with a number) and
// said only "json: invalid character 'B' ... at line 1, column 5", where
// dump says of the same bytes that they are text, not AMF. The error stays
// (exit 4, with its position); a hint now says the input reads as text.
// JSON that is broken past its first line, or that starts as an object or
// array, gets no such hint, nor does input given --from json.
func TestConvertTextStartingLikeJSON(t *testing.T) {
	page, err := os.ReadFile("../testdata/pyamf/captures/default-garbage.response.txt")
	if err != nil {
		t.Fatal(err)
	}
	const hint = "it reads as text, not JSON"
	for _, in := range []string{string(page), "12 monkeys", "true love", "\ufeff null pointer"} {
		stdout, stderr, code := run(t, []string{"convert", "-"}, in, nil, false)
		if code != 4 || stdout != "" || !strings.Contains(stderr, "at line 1, column") || !strings.Contains(stderr, hint) {
			t.Errorf("%.20q: exit %d, stdout %q, stderr %s; want exit 4, the JSON position and the hint %q", in, code, stdout, stderr, hint)
		}
	}
	if _, stderr, _ := run(t, []string{"convert", "-"}, string(page), nil, false); !strings.Contains(stderr, `"400 Bad Request The request body`) {
		t.Errorf("the hint does not quote the text on one line: %s", stderr)
	}
	for _, c := range []struct {
		args []string
		in   string
	}{
		{[]string{"convert", "-"}, `{"a": 1`},
		{[]string{"convert", "-"}, `[1, 2`},
		{[]string{"convert", "-"}, "5\n6\nx"},
		{[]string{"convert", "-"}, "12x monkeys"},
		{[]string{"convert", "--from", "json", "-"}, "12 monkeys"},
	} {
		_, stderr, code := run(t, c.args, c.in, nil, false)
		if code != 4 || strings.Contains(stderr, hint) {
			t.Errorf("%v %q: exit %d, stderr %s; want exit 4 without the text hint", c.args, c.in, code, stderr)
		}
	}
}
