package commands

import (
	"os"
	"strings"
	"testing"
)

// A request recorded from PyAMF's client references {"x": 1} by the
// index PyAMF gives it; --pyamf-args reads it that way, and the typed JSON
// converts back to the same bytes.
func TestConvertPyAMFArgs(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/pyamf/captures/default-echo_amf0_rich.request.amf")
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"convert"}, string(data), nil, false)
	if code != 0 || !strings.Contains(stdout, `"value":[[{"x":1},{"$ref":"/messages/0/value/0"}`) || !strings.Contains(stderr, "cycle") {
		t.Errorf("Flash numbering: code %d, stdout %.120s, stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, []string{"convert", "--pyamf-args"}, string(data), nil, false)
	if code != 0 || !strings.Contains(stdout, `"value":[[{"x":1},{"x":1},{"0":"a","k":"v"}`) || stderr != "" {
		t.Errorf("--pyamf-args: code %d, stdout %.120s, stderr %q", code, stdout, stderr)
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
