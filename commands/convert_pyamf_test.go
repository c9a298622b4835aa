package commands

import (
	"os"
	"strings"
	"testing"
)

// A request recorded from PyAMF's client references {"x": 1} by the
// index PyAMF gives it. Flash's numbering makes the argument list contain
// itself, so PyAMF's is used (and -v says so); --pyamf-args asks for it;
// the typed JSON converts back to the same bytes.
func TestConvertPyAMFArgs(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/pyamf/captures/default-echo_amf0_rich.request.amf")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"convert", "-v"}, {"convert", "-v", "--pyamf-args"}} {
		stdout, stderr, code := run(t, args, string(data), nil, false)
		why := "(Flash's numbering does not fit"
		if len(args) == 3 {
			why = "as --pyamf-args asks"
		}
		if code != 0 || !strings.Contains(stdout, `"value":[[{"x":1},{"x":1},{"0":"a","k":"v"}`) || strings.Contains(stderr, "cycle") ||
			!strings.Contains(stderr, "amfcall: message 0 (echo.echo): AMF0 references numbered as PyAMF (the argument array takes no slot)") ||
			!strings.Contains(stderr, why) {
			t.Errorf("%v: code %d, stdout %.120s, stderr %q", args, code, stdout, stderr)
		}
	}
	typed, _, code := run(t, []string{"convert", "--pyamf-args", "--typed"}, string(data), nil, false)
	if code != 0 || !strings.Contains(typed, `"unregisteredArgs":true`) {
		t.Fatalf("typed: code %d, %.200s", code, typed)
	}
	back, stderr, code := run(t, []string{"convert", "-o", "-"}, typed, nil, false)
	if code != 0 || back != string(data) {
		t.Errorf("back to AMF: code %d, stderr %q, %d bytes (want %d)", code, stderr, len(back), len(data))
	}
}
