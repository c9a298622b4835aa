package commands

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// A reply that is not a valid AMF packet: every command exits 3 (a reply
// that is not AMF is the gateway's failure, cli.md) and says
// so; call, which has --save-response, hints at it, the others at the
// call that has it: they hinted at a flag they do not have ("unknown flag
// --save-response").
func TestHintsNameOwnFlags(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write([]byte{0, 0, 0, 0, 0, 1, 0, 9}) // one message announced, 2 bytes of it
	}))
	t.Cleanup(srv.Close)
	u := srv.URL + "/"
	msg := "amfcall: error: the reply from " + u + ` is not a valid AMF packet: amf0: count 1 needs at least 9 bytes but 2 remain: unexpected EOF within "/messages" at offset 4` + "\n"
	checkCase(t, cliCase{args: []string{"call", u, "a.b"}, code: 3,
		stderr: msg + "amfcall: hint: keep the reply's bytes with --save-response FILE; amfcall dump FILE then shows each byte up to the fault\n"})
	// upload names its call; the others' calls are their own (a
	// discovery call, a Flex message): -v and call --packet
	// (TestJunkReplyHintWithoutSameCall).
	checkCase(t, cliCase{args: []string{"upload", u, "a.b", writeFile(t, "x.jpg", []byte("jpg")), `"jpg"`}, code: 3, stderr: msg +
		"amfcall: hint: keep the reply's bytes with amfcall call --save-response FILE, the same URL and the same call; amfcall dump FILE then shows each byte up to the fault\n"})
	for _, args := range [][]string{
		{"list", u},
		{"describe", u, "svc"},
		{"snapshots", u},
		{"publish", u, "chat", "1"},
		{"subscribe", u, "chat"},
	} {
		checkCase(t, cliCase{args: args, code: 3, stderr: msg +
			"amfcall: hint: -v prints each request packet, and the reply packet of each that got one, as typed JSON on stderr: the request with no reply packet after it got this reply\n" +
			"amfcall: hint: to keep the reply's bytes, save that request packet to FILE and send it again with amfcall call --packet FILE --save-response OUT URL; call then says how amfcall dump shows OUT\n"})
	}
}
