package commands

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestConvertMaxOutputHeldPaths: convert --max-output N writes the first
// N bytes of the output, exactly, then fails with the limit's error
// (exit 4), on the paths that hold the output rather than stream it, as
// a user meets them: a .sol file that refers to its data object, request
// packets whose AMF0 numbering is a guess (and --pyamf-args), an FLV file
// (named, and on a pipe), JSON converted to JSON. Each wrote nothing
// before the error; the FLV file also passed a limit one byte short of
// its output (its final newline was not counted). -o FILE keeps the
// file as it was.
func TestConvertMaxOutputHeldPaths(t *testing.T) {
	flv := "../testdata/flv/go2rtc-amf0-payloads.flv"
	flvData, err := os.ReadFile(flv)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
	}{
		{"sol", []string{"../testdata/sol/shared.sol"}, ""},
		{"request", []string{"../testdata/numbering/red5-echo-shared.amf"}, ""},
		{"request-date", []string{"../testdata/numbering/red5-echo-date.amf"}, ""},
		{"pyamf-args", []string{"--pyamf-args", "../testdata/numbering/red5-echo-shared.amf"}, ""},
		{"flv", []string{flv}, ""},
		{"flv-pipe", nil, string(flvData)},
		{"json", []string{"--to", "json", "../testdata/flv/go2rtc-amf0-payloads.json"}, ""},
	} {
		for _, typed := range [][]string{nil, {"--typed"}} {
			args := append(append([]string{"convert"}, typed...), tc.args...)
			full, stderr, code := run(t, args, tc.stdin, nil, false)
			if code != 0 {
				t.Fatalf("%s %q: exit %d: %s", tc.name, typed, code, stderr)
			}
			for _, limit := range []int{1, 2, 17, len(full) / 2, len(full) - 1} {
				a := append([]string{"convert", "--max-output", strconv.Itoa(limit)}, args[1:]...)
				out, stderr, code := run(t, a, tc.stdin, nil, false)
				if code != exitInput || !strings.Contains(stderr, "output exceeds "+strconv.Itoa(limit)+" bytes") {
					t.Errorf("%s %q limit %d of %d: exit %d: %s", tc.name, typed, limit, len(full), code, stderr)
				}
				if out != full[:limit] {
					t.Errorf("%s %q limit %d of %d: wrote %d bytes %q, want the first %d", tc.name, typed, limit, len(full), len(out), out, limit)
				}
			}
			out, _, code := run(t, append([]string{"convert", "--max-output", strconv.Itoa(len(full))}, args[1:]...), tc.stdin, nil, false)
			if code != 0 || out != full {
				t.Errorf("%s %q: the limit at the output's size: exit %d, %d bytes of %d", tc.name, typed, code, len(out), len(full))
			}
			if tc.stdin != "" {
				continue
			}
			// -o FILE: replaced only on success, as before.
			dst := filepath.Join(t.TempDir(), "out.json")
			if err := os.WriteFile(dst, []byte("kept\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, stderr, code := run(t, append([]string{"convert", "--max-output", "5", "-o", dst}, args[1:]...), "", nil, false); code != exitInput {
				t.Errorf("%s -o: exit %d: %s", tc.name, code, stderr)
			}
			if b, _ := os.ReadFile(dst); string(b) != "kept\n" {
				t.Errorf("%s -o: the file holds %q after the error", tc.name, b)
			}
			if ents, _ := os.ReadDir(filepath.Dir(dst)); len(ents) != 1 {
				t.Errorf("%s -o: %d files left in the folder", tc.name, len(ents))
			}
		}
	}
}

// TestConvertHARMaxOutputHeldBody: in a HAR file, a body whose packet is
// held (a request whose AMF0 numbering is a guess) writes the start of
// its JSON up to --max-output before the error, as a streamed body does;
// it wrote nothing of it.
func TestConvertHARMaxOutputHeldBody(t *testing.T) {
	body, err := os.ReadFile("../testdata/numbering/red5-echo-shared.amf")
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(body)
	entry := map[string]any{
		"request": map[string]any{"method": "POST", "url": "http://127.0.0.1:8000/gw", "headers": []any{},
			"postData": map[string]any{"mimeType": "application/x-amf", "text": b64, "encoding": "base64"}},
		"response": map[string]any{"status": 200, "headers": []any{},
			"content": map[string]any{"size": len(body), "mimeType": "application/x-amf", "text": b64, "encoding": "base64"}},
	}
	har, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{entry}}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "held.har")
	if err := os.WriteFile(file, har, 0o600); err != nil {
		t.Fatal(err)
	}
	full, stderr, code := run(t, []string{"convert", file}, "", nil, false)
	at := strings.Index(full, `"request":`) + len(`"request":`)
	if code != 0 || at < len(`"request":`) {
		t.Fatalf("exit %d: %s\n%s", code, stderr, full)
	}
	for _, limit := range []int{1, 10, 60} {
		out, stderr, code := run(t, []string{"convert", "--max-output", strconv.Itoa(limit), file}, "", nil, false)
		if code != exitInput || !strings.Contains(stderr, "request: json: plain output exceeds") {
			t.Errorf("limit %d: exit %d: %s", limit, code, stderr)
		}
		if want := full[:at+limit]; out != want {
			t.Errorf("limit %d: wrote %q, want %q", limit, out, want)
		}
	}
}
