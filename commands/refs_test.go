package commands

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func unhex(t *testing.T, s string) string {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A version-3 request whose second argument, in its own 0x11 switch, is a
// reference to the object of the first switch.
const crossSwitchReq = "0003 0000 0001 0003 612e62 0002 2f31 ffffffff " +
	"0a00000002 11 0a0b01 0361 0401 01 11 0a00"

func TestCrossSwitchReferenceRoundTrip(t *testing.T) {
	in := unhex(t, crossSwitchReq)
	typed, stderr, code := run(t, []string{"convert", "--typed"}, in, nil, false)
	want := `"value":[{"$amf3":{"$id":1,"a":1}},{"$amf3":{"$ref":1}}]`
	if code != 0 || !strings.Contains(typed, want) {
		t.Fatalf("typed: code %d, stdout %q, stderr %q; want %s", code, typed, stderr, want)
	}
	out := filepath.Join(t.TempDir(), "back.amf")
	if _, stderr, code = run(t, []string{"convert", "-o", out}, typed, nil, false); code != 0 {
		t.Fatalf("back: code %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != in {
		t.Errorf("round trip changed the bytes:\n got %x\nwant %x", got, in)
	}
}

func TestCallAMF3WritesTypedReference(t *testing.T) {
	req := filepath.Join(t.TempDir(), "req.amf")
	stdout, stderr, code := run(t, []string{"call", "--offline", "--amf3", "--save-request", req,
		"http://127.0.0.1:1/gw", "svc.m", "-d", `[{"$id":1,"a":1},{"$ref":1}]`}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `{"$amf3":{"$ref":1}}`) {
		t.Fatalf("call --offline: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	got, _ := os.ReadFile(req)
	// The second argument is the AMF3 reference 0A 00, not the object again.
	if want := unhex(t, "0a00000002 110a0b01 0361 0401 01 110a00"); !strings.HasSuffix(string(got), want) {
		t.Errorf("request bytes %x, want them to end in %x", got, want)
	}
}
