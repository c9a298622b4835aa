package commands

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A reply from a PHP gateway that sends its Latin-1 strings as stored
// stays readable (issue 7): plain JSON decodes them with --charset and
// warns once; typed JSON keeps the bytes.
func TestLatin1Reply(t *testing.T) {
	reply := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: &amf.Object{Members: []amf.Member{{Name: "city", Value: "M\xfcnchen"}, {Name: "note", Value: "caf\xe9"}}}}}}
	body, err := amf.MarshalPacket(reply)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(body)
	}))
	defer srv.Close()

	checkCase(t, cliCase{
		args:   []string{"call", srv.URL, "Geo.city", "-d", "[1]"},
		stdout: `{"city":"München","note":"café"}` + "\n",
		stderr: `amfcall: warning: 2 strings are not UTF-8 (the first at "/city"): printed as windows-1252 text; the typed form keeps the bytes ({"$latin1": ...})` + "\n",
	})
	checkCase(t, cliCase{
		args:   []string{"call", srv.URL, "Geo.city", "-d", "[1]", "--typed"},
		stdout: `{"city":{"$latin1":"München"},"note":{"$latin1":"café"}}` + "\n",
	})
	checkCase(t, cliCase{
		args:   []string{"convert", "--from", "hex:amf3", "--charset", "iso-8859-7"},
		stdin:  "06 09 63 61 66 e9",
		stdout: `"cafι"` + "\n",
		stderr: `amfcall: warning: 1 string is not UTF-8 (the first at the top value): printed as iso-8859-7 text; the typed form keeps the bytes ({"$latin1": ...})` + "\n",
	})
	// --charset iso-8859-1 decodes as windows-1252 (the WHATWG labels):
	// 0x80 is "€". The warning said "printed as iso-8859-1 text".
	checkCase(t, cliCase{
		args:   []string{"convert", "--from", "hex:amf3", "--charset", "iso-8859-1"},
		stdin:  "06 05 e9 80",
		stdout: `"é€"` + "\n",
		stderr: `amfcall: warning: 1 string is not UTF-8 (the first at the top value): printed as windows-1252 text (the WHATWG Encoding Standard's reading of "iso-8859-1"); the typed form keeps the bytes ({"$latin1": ...})` + "\n",
	})
	checkCase(t, cliCase{
		args:   []string{"convert", "--charset", "klingon"},
		stdin:  `"x"`,
		code:   2,
		stderr: `amfcall: error: --charset: unknown charset "klingon" (use a name such as windows-1252, iso-8859-15, shift_jis, gbk)` + "\n",
	})
}
