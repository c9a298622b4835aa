package commands

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Plain JSON writes every date it can as RFC 3339 text (json-mapping.md):
// a fraction of a millisecond is dropped as ActionScript's Date drops it
// (PyAMF's vector of 1.5 ms printed 1.5, a number no reader could tell
// from one). A date outside years 0000-9999 cannot be such text: it is
// printed as its milliseconds, with one warning naming the first.
func TestPlainDates(t *testing.T) {
	vec, err := os.ReadFile("../testdata/pyamf/vectors/dec_amf3_date_fraction_ms.amf3")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "frac.amf3")
	os.WriteFile(in, vec, 0o644)
	checkCase(t, cliCase{args: []string{"convert", "--from", "amf3", in}, stdout: `"1970-01-01T00:00:00.001Z"` + "\n"})
	checkCase(t, cliCase{args: []string{"convert", "--from", "amf3", "--typed", in}, stdout: `{"$date":1.5}` + "\n"})

	far := "amfcall: warning: 2 dates are outside years 0000-9999 (the first at \"/1\"): printed as milliseconds since 1970 (a number), " +
		"which RFC 3339 text cannot hold; the typed form keeps it as a date ({\"$date\": N})\n"
	// [date 1.5 ms before the epoch, 1e300 ms, -2^48 ms]
	checkCase(t, cliCase{args: []string{"convert", "--from", "hex:amf3"},
		stdin:  "09 07 01 08 01 bff8000000000000 08 01 7e37e43c8800759c 08 01 c2f0000000000000",
		stdout: `["1969-12-31T23:59:59.999Z",1e+300,-281474976710656]` + "\n", stderr: far})

	// The same in a reply, through call (the value model's writer) and
	// through convert of the saved packet (the streamed writer).
	reply := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: []any{&amf.Date{Ms: 0}, &amf.Date{Ms: 1e300}, &amf.Date{Ms: -1 << 48}}}}}
	body, err := amf.MarshalPacket(reply)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(body)
	}))
	defer srv.Close()
	checkCase(t, cliCase{args: []string{"call", srv.URL, "Dates.get"},
		stdout: `["1970-01-01T00:00:00.000Z",1e+300,-281474976710656]` + "\n", stderr: far})
	pkt := filepath.Join(dir, "reply.amf")
	os.WriteFile(pkt, body, 0o644)
	checkCase(t, cliCase{args: []string{"convert", pkt},
		stdout: `{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":["1970-01-01T00:00:00.000Z",1e+300,-281474976710656]}]}` + "\n",
		stderr: "amfcall: warning: 2 dates are outside years 0000-9999 (the first at \"/messages/0/value/1\"): printed as milliseconds since 1970 (a number), " +
			"which RFC 3339 text cannot hold; the typed form keeps it as a date ({\"$date\": N})\n"})
}

// Hex text with a digit dropped was read as JSON and failed with a JSON
// error and no hint.
func TestOddHexHint(t *testing.T) {
	checkCase(t, cliCase{args: []string{"convert"}, stdin: "0801433c6a60000000000\n", code: 4,
		stderr: "amfcall: error: stdin: json: invalid character '8' after top-level value at line 1, column 2 (offset 1)\n" +
			"amfcall: hint: if this is hex, it has an odd number of digits (21): one is missing or one too many\n"})
}
