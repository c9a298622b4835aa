package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A JSON object that gives a member key twice is written as given, both
// members in order, with one warning naming the first where its name
// starts (a count when there are several); exit 0. Envelope keys given
// twice stay an error (convert's TestDuplicateEnvelopeMember).
func TestDuplicateKeysCLI(t *testing.T) {
	const once = `: both are written, in order` + "\n"
	for _, c := range []cliCase{
		{args: []string{"convert", "--to", "hex:amf3"}, stdin: `{"a":1,"a":2}`,
			stdout: "0a0b010361040100040201\n",
			stderr: `amfcall: warning: "a" is given twice in one object (line 1, column 9)` + once},
		{args: []string{"convert", "--to", "hex:amf3"}, stdin: `{"$class":"a.B","x":1,"x":2}` + "\n",
			stdout: "0a2307612e4203780204010402\n",
			stderr: `amfcall: warning: "x" is given twice in one object (line 1, column 24)` + once},
		{args: []string{"convert", "--to", "hex:amf0"}, stdin: `{"a":1,"a":2}`,
			stdout: "03000161003ff0000000000000000161004000000000000000000009\n",
			stderr: `amfcall: warning: "a" is given twice in one object (line 1, column 9)` + once},
		{args: []string{"convert", "--to", "hex:sol"}, stdin: `{"sol":"x","version":3,"data":{"a":1,"b":2,"a":3}}`,
			stdout: "00bf0000001f5443534f000400000000000178000000030361040100036204020000040300\n",
			stderr: `amfcall: warning: "a" is given twice in one object (line 1, column 45)` + once},
		{args: []string{"convert", "--to", "hex:packet"}, stdin: `{"version":3,"messages":[{"target":"t","response":"/1","value":[{"role":"user","role":"admin"}]}]}`,
			stdout: "00030000000100017400022f310000001d0a00000001110a0b0109726f6c6506097573657200060b61646d696e01\n",
			stderr: `amfcall: warning: "role" is given twice in one object (line 1, column 81)` + once},
		{args: []string{"convert", "--to", "hex:socket"}, stdin: "{\"role\":\"user\",\"role\":\"admin\"}\n{\"x\":{\"y\":1,\"y\":2}}\n",
			stdout: "000000170a0b0109726f6c6506097573657200060b61646d696e01" + "000000100a0b0103780a01037904010204020101\n",
			stderr: `amfcall: warning: 2 keys are given again in the object they are in (the first "role", line 1, column 17): each is written as often as given, in order` + "\n"},
		// An envelope key given twice: still an error.
		{args: []string{"convert", "--to", "hex:packet"}, stdin: `{"version":0,"version":3,"messages":[]}`, code: 4,
			stderr: `amfcall: error: stdin: json: "version" is given twice in a packet at "/version", line 1, column 24 (offset 23)` + "\n"},
	} {
		checkCase(t, c)
	}
}

// call sends an argument that gives a key twice as given (both members,
// in order: what a tester checking which one a gateway keeps means), and
// says so on stderr.
func TestDuplicateKeysCall(t *testing.T) {
	var sent []byte
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	defer srv.Close()
	checkCase(t, cliCase{
		args:   []string{"call", srv.URL, "Users.save", `{"role":"user","role":"admin"}`},
		stdout: `"ok"` + "\n",
		stderr: `amfcall: warning: argument 1: "role" is given twice in one object (line 1, column 17): both are written, in order` + "\n",
	})
	p, err := amf.UnmarshalPacket(sent)
	if err != nil {
		t.Fatal(err)
	}
	args := p.Messages[0].Value.(*amf.Array).Dense
	var got []string
	for _, m := range args[0].(*amf.Object).Members {
		got = append(got, m.Name+"="+m.Value.(string))
	}
	if s := strings.Join(got, ","); s != "role=user,role=admin" {
		t.Errorf("sent %s, want role=user,role=admin", s)
	}
}

// A $bytes value cut short in a -v trace is refused saying what it is.
func TestCutBytesCLI(t *testing.T) {
	checkCase(t, cliCase{
		args: []string{"convert", "--to", "hex:amf3"}, stdin: `{"$bytes":"AA==","$cut":true,"$size":9}`, code: 4,
		stderr: `amfcall: error: stdin: json: this $bytes value was cut short where it was traced ($cut): it cannot be sent at line 1, column 1 (offset 0)` + "\n" +
			`amfcall: hint: take the whole value from a -vv trace, which cuts no value short` + "\n",
	})
}
